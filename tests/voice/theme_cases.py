"""A labelled set of realistic answers for theming figures, written for this purpose (not real answers).

Each case is (initiative, answer, the theme keys a lead would accept for it). An empty set means
no shipped theme fits: the answer should get none. Voices are Dundee parents and carers,
children and young people, and practitioners, as they type on a phone or tablet: short,
lower-case, Scots words, typos, names already redacted to "[name]" as answers are stored.

The answers were written before the codebooks were tuned and are not the codebooks' own
`examples`: they measure how well theming generalises, so don't copy them into a codebook.

How `tests/voice/test_theme_figures.py` scores each answer against the themes found:
- fitting: at least one theme found, and every theme found is acceptable;
- wrong: a theme was found that is not acceptable (an answer that fits none got one);
- none: no theme found although one fits;
- right none: no theme found, and none fits.
"""

from __future__ import annotations

ART = "art-at-the-start"
ANEW = "anew"
CMHWF = "cmhwf"

CASES: list[tuple[str, str, frozenset[str]]] = [
    # -- Art at the Start: parents and carers of under-fives, and the practitioners' notes
    (
        ART,
        "She painted her whole hand blue and then did mine, we were both in fits of giggles",
        frozenset({"connection"}),
    ),
    (
        ART,
        "He's usually awful shy round other kids but today he sat right in the middle with the clay",
        frozenset({"confidence"}),
    ),
    (
        ART,
        "I never get to just sit with her without the wee one needing me, this was our hour",
        frozenset({"time-together"}),
    ),
    (
        ART,
        "The artists are lovely, nothing is too much bother and they don't mind the mess",
        frozenset({"space-and-staff"}),
    ),
    (
        ART,
        "I noticed she kept going back to the yellow, she knew exactly what she wanted",
        frozenset({"noticing-choices"}),
    ),
    (ART, "Didn't realise how much he likes mixing colours, he wouldn't let me help", frozenset({"noticing-choices"})),
    (ART, "I'm not arty at all and I was dreading it but I've ended up loving it", frozenset({"confidence"})),
    (ART, "It was nice to get out the house, the winter's been long with a baby", frozenset({"time-together"})),
    (ART, "Sessions are too short, we just get going and it's time to tidy up", frozenset()),
    (ART, "The room at the gallery was freezing today", frozenset({"space-and-staff"})),
    (ART, "Parking near the DCA is a nightmare with a pram", frozenset({"space-and-staff"})),
    (ART, "She cuddled into me after and said we made it mummy", frozenset({"connection"})),
    (ART, "We've started doing potato printing at home now as well", frozenset({"time-together"})),
    (
        ART,
        "He tried the sticky tape and the glue himself for the first time, very proud of himself",
        frozenset({"confidence", "noticing-choices"}),
    ),
    (ART, "Good", frozenset()),
    (ART, "Nothing to add thanks", frozenset()),
    (
        ART,
        "[name] led the whole activity today, chose her own materials and directed her mum",
        frozenset({"noticing-choices", "confidence"}),
    ),
    (
        ART,
        "Mum was quite withdrawn at first but by week four she was chatting to the other parents",
        frozenset({"confidence"}),
    ),
    (ART, "Staff made us feel really welcome from the door, even when we were late", frozenset({"space-and-staff"})),
    (ART, "Getting two buses with a toddler to get here is hard going", frozenset({"space-and-staff"})),
    (ART, "We looked at each other and just laughed, I haven't seen her that happy in ages", frozenset({"connection"})),
    (
        ART,
        "I let him lead for once instead of telling him what to do, it was hard but he loved it",
        frozenset({"noticing-choices"}),
    ),
    (ART, "The wee snack and the cup of tea at the end makes such a difference", frozenset({"space-and-staff"})),
    (ART, "Sometimes too many families in the room and it gets really noisy for her", frozenset({"space-and-staff"})),
    (ART, "It's the one time in the week I'm not on my phone and it's just me and him", frozenset({"time-together"})),
    (ART, "Would love more sessions in the holidays", frozenset()),
    (
        ART,
        "She was scared of getting her hands dirty at first and now she dives straight in",
        frozenset({"confidence"}),
    ),
    # -- CMHWF: children and young people, parents, and session logs
    (CMHWF, "I can talk to [name] about anything and she doesnt think im weird", frozenset({"being-understood"})),
    (CMHWF, "the group is the only place i dont feel on edge", frozenset({"feeling-safe"})),
    (
        CMHWF,
        "Me and my dad have been getting on way better since he came to the parents night",
        frozenset({"relationships-at-home"}),
    ),
    (
        CMHWF,
        "I know I can go to the school nurse or text the number on the card if it gets bad again",
        frozenset({"where-to-get-help"}),
    ),
    (CMHWF, "Nobody laughed when I said about my anxiety", frozenset({"feeling-safe", "being-understood"})),
    (CMHWF, "It helps to know other people feel like this too", frozenset({"being-understood"})),
    (CMHWF, "My son is less angry at home, we had our first calm tea in months", frozenset({"relationships-at-home"})),
    (CMHWF, "i was scared to come the first time but now i look forward to it", frozenset({"feeling-safe"})),
    (CMHWF, "The breathing thing helps when I get panicky in class", frozenset({"feeling-safe"})),
    (CMHWF, "They didn't just tell me to cheer up, they actually got it", frozenset({"being-understood"})),
    (CMHWF, "Youth worker helped me work out who I could talk to at school", frozenset({"where-to-get-help"})),
    (CMHWF, "My wee sister and me dont fight as much", frozenset({"relationships-at-home"})),
    (CMHWF, "Not much", frozenset()),
    (CMHWF, "the games were fun", frozenset()),
    (CMHWF, "I'd like it to be on more than once a week", frozenset()),
    (
        CMHWF,
        "YP disclosed ongoing worries about her mum's drinking, referral made to school counsellor",
        frozenset({"relationships-at-home", "where-to-get-help", "feeling-safe"}),
    ),
    (CMHWF, "I feel like I could ask for help now instead of bottling it up", frozenset({"where-to-get-help"})),
    (CMHWF, "Nobody judges you here", frozenset({"being-understood"})),
    (
        CMHWF,
        "Still getting picked on at school but I told the guidance teacher",
        frozenset({"feeling-safe", "where-to-get-help"}),
    ),
    (CMHWF, "Mum says I'm easier to live with lol", frozenset({"relationships-at-home"})),
    (CMHWF, "I felt believed for the first time", frozenset({"being-understood"})),
    (CMHWF, "Found out about Kooth and I use it at night when I can't sleep", frozenset({"where-to-get-help"})),
    (CMHWF, "They were pure kind and never rushed me", frozenset({"being-understood"})),
    (CMHWF, "The room is cosy and you can sit on the beanbags if you don't want to talk", frozenset({"feeling-safe"})),
    (
        CMHWF,
        "My gran's been poorly and I've been stressed about it, it helped to talk",
        frozenset({"relationships-at-home", "being-understood", "feeling-safe"}),
    ),
    # -- ANEW: parents and carers after a meeting around their child, and practitioners' records
    (ANEW, "The meeting was fine", frozenset()),
    (ANEW, "I got to say my bit without being cut off", frozenset({"listened-to"})),
    (ANEW, "Nobody told me what happens now, I left the meeting none the wiser", frozenset({"next-steps"})),
    (
        ANEW,
        "They read out what [name] had written about school first and I was proud of him",
        frozenset({"childs-views-first"}),
    ),
    (ANEW, "The worker helped me fill in the form for the school clothing grant", frozenset({"practical-help"})),
    (ANEW, "It felt like they had already decided before I walked into the meeting", frozenset({"listened-to"})),
    (ANEW, "Too many professionals in the room, I felt ganged up on", frozenset({"listened-to"})),
    (ANEW, "I know who my named person is now and she gave me her number", frozenset({"next-steps"})),
    (
        ANEW,
        "My daughter got to do her own bit with the worker before the meeting so she didn't have to sit through it",
        frozenset({"childs-views-first"}),
    ),
    (ANEW, "They sorted a referral to the food bank and got us a fuel voucher", frozenset({"practical-help"})),
    (
        ANEW,
        "The meeting was at 9 and I had to take two buses with the baby, nearly didn't make it",
        frozenset({"practical-help"}),
    ),
    (ANEW, "Got the minutes two weeks later and they had things wrong", frozenset({"next-steps"})),
    (ANEW, "I felt like a bad mum the whole time", frozenset({"listened-to"})),
    (ANEW, "They listened to what I had to say about his dad", frozenset({"listened-to"})),
    (ANEW, "Everything was explained in plain English for once", frozenset({"next-steps"})),
    (ANEW, "Good meeting, thanks", frozenset()),
    (ANEW, "Social worker kept using words I didn't understand", frozenset({"next-steps"})),
    (
        ANEW,
        "They asked my son what he wanted to happen at weekends and actually went with it",
        frozenset({"childs-views-first"}),
    ),
    (ANEW, "We came away with a clear plan and dates for the next review", frozenset({"next-steps"})),
    (
        ANEW,
        "Child's views were shared through her drawing and read aloud at the start; mum engaged well",
        frozenset({"childs-views-first"}),
    ),
    (ANEW, "Still waiting on the housing officer getting back to me about the damp", frozenset({"practical-help"})),
    (ANEW, "I was able to bring my sister for support and they let her speak too", frozenset({"listened-to"})),
    (ANEW, "The chair kept looking at her phone while I was talking", frozenset({"listened-to"})),
    (ANEW, "It was all about what the school wanted, not what's best for [name]", frozenset({"childs-views-first"})),
    (ANEW, "Nothing", frozenset()),
]

# Written after the codebooks were tuned on CASES, without looking at them again and without
# tuning afterwards: how theming does on answers it was not fitted to.
HELD_OUT: list[tuple[str, str, frozenset[str]]] = [
    (
        ART,
        "My daughter made a rocket out of a cereal box and wouldn't stop talking about it",
        frozenset({"noticing-choices"}),
    ),
    (ART, "It's the one place I don't feel judged for having a toddler who screams", frozenset({"space-and-staff"})),
    (ART, "The lassies running it are brilliant with the kids", frozenset({"space-and-staff"})),
    (ART, "I found out he loves sticking things, I'd never have known", frozenset({"noticing-choices"})),
    (
        ART,
        "He wouldn't go near the other children at first, this week he shared the brushes",
        frozenset({"confidence"}),
    ),
    (ART, "Nice to have an hour where it's just the two of us", frozenset({"time-together"})),
    (
        ART,
        "She held my hand the whole way round the gallery showing me the pictures",
        frozenset({"connection", "space-and-staff"}),
    ),
    (ART, "Could it be on a Saturday so her dad can come", frozenset()),
    (ART, "We did a big painting on the floor and lay on it", frozenset()),
    (ART, "I've got more patience with her mess at home now", frozenset({"time-together", "connection"})),
    (ART, "Would recommend to any mum", frozenset()),
    (ART, "the stairs at the gallery are tricky with a buggy", frozenset({"space-and-staff"})),
    (CMHWF, "I can tell them stuff I cant tell my mum", frozenset({"being-understood", "relationships-at-home"})),
    (CMHWF, "I dont feel so worried about going to high school", frozenset({"feeling-safe"})),
    (CMHWF, "my mum and me dont shout at each other as much", frozenset({"relationships-at-home"})),
    (CMHWF, "Now I know I can phone Childline", frozenset({"where-to-get-help"})),
    (CMHWF, "The leader never makes you talk if you dont want", frozenset({"feeling-safe", "being-understood"})),
    (CMHWF, "I liked the pizza", frozenset()),
    (CMHWF, "It made me realise other people have stuff going on too", frozenset({"being-understood"})),
    (CMHWF, "Somebody actually asked how I was doing and meant it", frozenset({"being-understood"})),
    (CMHWF, "My dad came to the family night and we made a den", frozenset({"relationships-at-home"})),
    (CMHWF, "i feel less alone", frozenset({"being-understood"})),
    (CMHWF, "They told me about a counsellor at school I can see", frozenset({"where-to-get-help"})),
    (CMHWF, "The group gets too loud sometimes and I go quiet", frozenset({"feeling-safe"})),
    (ANEW, "They let me finish what I was saying for once", frozenset({"listened-to"})),
    (ANEW, "I've no idea what's happening with the contact now", frozenset({"next-steps"})),
    (ANEW, "My son's worker told them what he'd said and they took it on board", frozenset({"childs-views-first"})),
    (ANEW, "The health visitor got us a cot and a bag of baby clothes", frozenset({"practical-help"})),
    (ANEW, "Felt like they were all against me", frozenset({"listened-to"})),
    (ANEW, "Nobody gave me a copy of the action plan", frozenset({"next-steps"})),
    (ANEW, "It was in a room at the school, parking was fine", frozenset()),
    (ANEW, "They put [name] first which is all I want", frozenset({"childs-views-first"})),
    (ANEW, "I was treated with respect", frozenset({"listened-to"})),
    (ANEW, "Got help with a crisis grant for the electric", frozenset({"practical-help"})),
    (ANEW, "Too long, an hour and a half", frozenset()),
    (ANEW, "I understood everything they said, no big words", frozenset({"next-steps"})),
]
