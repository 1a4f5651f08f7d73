"""Realistic free-text answers for measuring redaction, with the identifiers we planted marked.

Written by hand in the voices Heard hears in Dundee: parents on phones, children on shared
tablets (spelling as they spell), Scots, text-speak, people writing in their second language.
The first batch of each list was written before the redactor existed and then used to tune it;
the second batch was written after that and run once untouched as a held-out check. A planted identifier is written ``{kind:text}``; the braces and the
kind are stripped to make the answer, and the span is kept so recall can be computed.

``PLANTED`` answers each hide at least one identifier; ``CLEAN`` answers hide none and must come
back unchanged (many use words that are also first names: will, grace, hope, joy, may, bonnie).
``score`` turns a redactor's findings into the figures the test asserts and the bench prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

KINDS = ("name", "phone", "email", "postcode", "address", "date", "link")

PLANTED = [
    # names after a cue
    "My son {name:Callum} loved the messy play",
    "my daughter is called {name:Hope} and she cried when it finished",
    "my wee boy {name:Ruaridh} is 3 and he couldnt stop talking about the paint",
    "Our worker {name:Kirsty} was amazing with us",
    "my son is {name:Will} and he is shy but he joined in",
    "My daughter {name:Grace} has come out of her shell",
    "her name is {name:Zofia} and she is 4",
    "my wee one {name:Eilidh} wants to come every day",
    "the teacher {name:Mrs Duncan} told us about the group",
    "Our key worker {name:Dawn} has been a lifeline",
    "my child {name:Oleksandr} does not speak much English yet but he was happy",
    "My youngest, {name:Maryam}, loves the singing",
    "my grandson {name:Lachlan} was very proud of his picture",
    "my son is called {name:Mark} and he's 2",
    "the worker called {name:Joy} was so patient with us",
    # names without a cue
    "{name:Isla} had the best time, thanks to {name:Kirsty} and the team",
    "{name:Amelia} loved the glitter",
    "Me and {name:Jayden} made a volcano",
    "me n {name:jayden} had fun",
    "i played with {name:Olivia} and {name:Freya}",
    "{name:Aisha} and {name:Fatima} were the first ones there lol",
    "thank you {name:Kirsty} and {name:Mhairi} for everything",
    "{name:Will} loved the drums",
    "{name:Grace} said it was the best day ever",
    "we came with {name:Fraser}s gran this time",
    "{name:Kacper} enjoyed the painting very much, thank you",
    "{name:Hamza} was scared at first but then he loved it",
    "{name:Mohammed} liked the big blocks",
    "i liked when {name:Archie} sang the song",
    "{name:Rory} and {name:Leo} made a den",
    "{name:Maja} now sings the songs at home all day",
    "{name:Brodie} fell asleep in the car after",
    "Thanks to {name:Dawn} for the lift home",
    "it was brill, {name:Harpreet} made us feel welcome",
    "{name:Oliver} cried when we left because he wanted to stay",
    "my fav bit was when {name:Lexi} did the dancing",
    "{name:Taras} and his sister {name:Sofiia} were so happy",
    "{name:Olena} the translator was very helpful for me",
    "{name:Ayaan} has learned his colours",
    "the baby group with {name:Amna} was lovely",
    "{name:Hope} is much more confident now",
    "i like {name:Ellie} shes my best frend",
    "{name:Callum Robertson} was the best worker we have had",
    "Please pass on thanks to {name:Miss Patel}",
    "i made a card for {name:Wiktoria}",
    "{name:Ruby} asks every morning if its art day",
    "me and my brother {name:Kuba} did the train track",
    "{name:Freya}'s dad came this week",
    "sorry {name:Skye} was a bit grumpy today",
    "{name:Mhairi} is a star, thank you",
    "{name:Gurpreet} helped me fill in the forms",
    "{name:Fatima} wants to know when the next one is",
    "{name:Noah} loved the bubbles",
    "MY SON {name:CALLUM} LOVED IT",
    "shoutout to {name:Angus} for the lift",
    # emails
    "email me on {email:jenny.mcleod82@hotmail.co.uk} if there are more dates",
    "you can contact me at {email:sarah_j@gmail.com}",
    "{email:dundeemum2019@yahoo.co.uk} please add me to the list",
    "my email is {email:K.Wilson@outlook.com} thanks",
    "Pls send info to {email:mohammed.ali1990@icloud.com}",
    "Contact {email:zofia.nowak@wp.pl} for Polish group",
    "I emailed {email:hello@artatthestart.org.uk} but got no reply",
    "my work email is {email:j.brown@nhs.scot}",
    "send photos to {email:Gran_Isobel@btinternet.com} please x",
    "{email:callumsmum@gmail.com}",
    "email {email:r.smith@dundeecity.gov.uk} about the room booking",
    "if theres a waiting list my email {email:leanne.b@live.co.uk}",
    "Can you email me the times {email:ayesha786@hotmail.com}",
    "{email:dad.of.three@gmail.com} let me know about dads group",
    "email - {email:olena.kovalenko@ukr.net}",
    # phones
    "text me {phone:07712 345678}",
    "my number is {phone:07984123456} if you need me",
    "call me on {phone:+44 7700 900123}",
    "Phone {phone:01382 123456} for the nursery",
    "my mobile {phone:07700-900-456}",
    "ring {phone:(01382) 434000} to book",
    "You can reach me on {phone:+447911123456}",
    "my landline is {phone:01382 56 78 90}",
    "Text {phone:07 912 345 678} for lifts",
    "call {phone:0300 123 4567} for the helpline",
    "My husbands number {phone:07123 456 789}",
    "phone me {phone:0044 7700 900 789} Im Polish number not working",
    "ring us on {phone:020 7946 0123} we are in London next month",
    "pls call {phone:07811 222333} after 5",
    "mob {phone:07498 765 432}",
    "{phone:07552 123 456} whatsapp me",
    "Tel: {phone:+44 (0)1382 654321}",
    "my number {phone:0141 496 0800} work",
    "call {phone:07722 334 455} or email {email:aileen.t@gmail.com}",
    "{phone:07400123456}",
    "I dont have a phone but my sisters is {phone:07956 111 222}",
    # postcodes
    "we live in {postcode:DD1 4HN}",
    "Our address is {address:12 Albert Street}, Dundee {postcode:DD4 6NT}",
    "postcode {postcode:dd3 8ps}",
    "we just moved to {postcode:DD21QE}",
    "I live at {postcode:DD4 9DS} and the bus is rubbish",
    "is there a group nearer {postcode:DD2 4AB}",
    "my post code is {postcode:dd5 1ab} broughty ferry",
    "We are in {postcode:DD3 7HT} so its near",
    "{postcode:DD11 2RQ} is where my mum lives, she comes with us",
    "from {postcode:PH2 7DA} perth originally",
    "hi we are at {postcode:DD4 0LA}",
    "can you send stuff to {postcode:DD1 5JQ}",
    "my gran lives in {postcode:dd2 3lb}",
    "{postcode:DD3 6HR}",
    "Moved up from {postcode:G31 2HZ} last year",
    "we are at {address:flat 3/2, 45 Hilltown}, {postcode:DD3 7AQ}",
    # links
    "see my page {link:facebook.com/dundeemumsgroup}",
    "i posted pics at {link:https://www.instagram.com/wee_artist_dundee}",
    "There is a video {link:https://youtu.be/dQw4w9WgXcQ}",
    "my blog {link:www.mumlifedundee.co.uk} has a post about it",
    "check out {link:tiktok.com/@kirstyb_22}",
    "the form link {link:bit.ly/3abcDEF} didnt work",
    "My etsy shop {link:https://www.etsy.com/shop/WeeMakersDD}",
    "join our whatsapp {link:https://chat.whatsapp.com/ABC123xyz}",
    "{link:http://www.dundeeparentsforum.org} is good too",
    "found you on {link:www.facebook.com/groups/12345678}",
    "here is the photos {link:https://photos.app.goo.gl/abcXYZ123}",
    "add me {link:instagram.com/isla.grows}",
    "I found it on {link:dundeecity.gov.uk/family-support}",
    "my sons nursery {link:https://www.acornnurserydundee.co.uk/news}",
    "pics on my page {link:fb.com/lindsay.smith.5}",
    "Great article {link:https://www.bbc.co.uk/news/uk-scotland-123456}",
    # addresses
    "we live at {address:14a Main Rd} by the shops",
    "I'm at {address:22 Strathmartine Road}, come and visit lol",
    "pick us up at {address:7 Clepington Rd} please",
    "I live {address:3/1 10 Lilybank Terrace}",
    "my address {address:56 Balunie Avenue}",
    "{address:101 Perth Road} is my house",
    "we moved to {address:9 Kirkton Crescent} in March",
    "send it to {address:Flat 2, 18 Union Street}",
    "the party is at {address:4 Whitfield Drive} on saturday if yous want to come",
    "our house is {address:31 Craigie Avenue} and the bus stop is outside",
    "I stay at {address:15 fintry place} with my mum",
    "{address:88 Dens Road} is where the new flat is",
    "we are at {address:2 Ardler Court}",
    "drop off at {address:19 Wellgate} is easier",
    "I live at {address:47 Americanmuir Road}",
    "my mums at {address:6 Happyhillock Walk}",
    # dates
    "my son was born on {date:12/03/2019}",
    "She was born {date:3rd March 2019}",
    "DOB {date:04.05.21}",
    "born on {date:4 May} so he's a Taurus",
    "her birthday is {date:14th of February}",
    "my wee one {name:Eilidh} was born on {date:1st June 2022}",
    "date of birth {date:27/11/2020}",
    "we started on {date:5th September 2023} and havent missed one",
    "he will be 3 on {date:March 9th}",
    "born {date:2019-08-15}",
    "My twins were born {date:21 December 2020}",
    "her dob is {date:9/1/2021}",
    "the last session was on {date:12 Jan} and we missed it",
    "I came on {date:Tuesday 3rd October} with my neighbour",
    "baby born {date:30.06.2023}, first time at a group",
    "she turns four on the {date:2nd of April}",
    # several at once
    "{name:Lachlan} is 2, born {date:6/6/2022}, we live at {address:12 Arbroath Road} {postcode:DD4 6EP}",
    "its {name:Kirsty} here, my number is {phone:07823 456123}",
    "Contact me {name:Fatima} on {phone:07711 987654} or {email:fatima.h@gmail.com}",
    "my son {name:Leo} ({date:12.03.2020}) goes to {name:St Marys} nursery",
    "Mum of {name:Isla} and {name:Jack}, {address:33 Blackness Road}, {postcode:DD1 5PD}",
    "me and {name:Ayesha} went to {link:www.dundeekidsclub.co.uk} after",
    "{name:Bonnie} is 18 months and she loved the sensory bit",
    "i love art says {name:Amelia} aged 5",
    "{name:Sophie} loved {name:Joy} the music lady",
    "{name:Kirsty} and {name:Dawn} went above and beyond for us",
    # A second batch, written after the first round of tuning and run once untouched as a
    # held-out check (names 28 of 30, everything else found, no clean answer altered).
    "{name:Lily} and {name:Grace} were the best of pals by the end",
    "My partner {name:Dawid} came with us on the last day",
    "thank u {name:Shona} ur a star",
    "{name:Lewis} was very shy but {name:Claire} the worker was brilliant with him",
    "the lady {name:Mrs Kowalska} translated for me",
    "I am {name:Olha}, thank you for the help with forms",
    "{name:Jack} is always talking about the paint",
    "Nana and {name:Evie} came this week",
    "Ask for {name:Gillian} she knows us",
    "i love {name:Mia} she is my frend",
    "{name:Harris} loved the sand tray",
    "My daughter {name:Amira} is 4 and she's learning English here",
    "please can {name:Zara} and me go again",
    "big thanks to {name:Dr Ahmed} for the advice",
    "we missed {name:Joy} when she was off",
    "it was {name:Wiktoria}'s first time in a group",
    "my boy {name:Kai} is autistic and the room was too loud for him",
    "{name:Isla-Rose} loved it",
    "{name:Ewan} painted a tiger",
    "our worker is called {name:Stacey}",
    "phone me on {phone:07890 123456} after 3",
    "mob: {phone:07711223344}",
    "contact {phone:01382 431 123} ask for me",
    "my email {email:gemma_87@hotmail.com}",
    "{email:Tomasz.K@gmail.com} for Polish info",
    "im in {postcode:DD4 8LX}",
    "postcode {postcode:DD2 2AP}, near the school",
    "we live at {address:5 Lawside Road}",
    "{address:27 Ancrum Road} is us",
    "born on the {date:3rd of December 2021}",
    "he was born {date:19/07/22}",
    "the page is {link:www.facebook.com/DundeeWeeArtists}",
    "{link:https://forms.gle/abc123XYZ} is the form i filled",
    "my number is {phone:+48 601 234 567} (Polish)",
    "{name:Chloe} was born on {date:2nd Feb 2020}",
    "mummy and {name:Alfie} liked the music",
    "{name:Will} and {name:Hope} are twins and they both loved it",
    "I'm {name:Fatima}'s mum",
    "{name:Mohammed} asked when the next one is",
    "i played with {name:Kuba} and {name:Zosia}",
]

CLEAN = [
    "I will come again next week, the wee one loved it",
    "it was a joy to watch her paint",
    "I hope so!! best morning we've had in ages",
    "Bonnie wee room and the staff were lovely",
    "Will definitely be back",
    "Hope there's more sessions after the summer",
    "The art was messy but he had a ball",
    "my son loved the painting and the sticky bits",
    "Aye it was braw",
    "ye ken how it is wi bairns, he didnae want tae leave",
    "She was greetin when we had to go home, thats how much she loved it",
    "Gr8 session, luv the staff x",
    "Mark making with the big brushes was his favourite",
    "Can we have more sessions in May and June?",
    "The sky painting was amazing",
    "We were out the door at dawn practically, the bus was early lol",
    "Faith in people restored, everyone was so kind",
    "Rose petals and leaves for the collage, lovely idea",
    "I was nervous but the worker made me feel welcome",
    "Bill for the bus was a bit much, could you help with fares",
    "It would be good if it was later in the day as my shifts finish at 2",
    "more paint pls",
    "i liked the glitter and the dinosaurs",
    "I didnt like when the big boys took the blue paint",
    "The room was too hot and there was nowhere to put the pram",
    "Honestly the best thing we do all week",
    "My wee girl is shy but she joined in by the end",
    "Art at the Start is brilliant, please keep it going",
    "We have been coming since she was 6 months old",
    "3 of us came this time and there was plenty of space",
    "Session was 10-11.30 which suits us",
    "the lady with the guitar was class",
    "He talks about the songs all the time at home",
    "Would like a dads group on a Saturday",
    "Dziękuję, bardzo fajne zajęcia dla dzieci",
    "Дуже дякую, дитині дуже сподобалось",
    "شكرا جزيلا، كانت الجلسة جميلة",
    "Bohat acha tha, bachon ko bohat maza aya",
    "I felt less alone, it's hard being a single mum",
    "The CMHWF worker helped me with my anxiety",
    "ANEW sessions gave me some time for me",
    "Summer holidays are hard, more sessions then would help",
    "My partner works nights so this gives us some routine",
    "It was a bit loud for my son who has autism",
    "Joy on his face when he saw the paint!!",
    "We may not come next week as we are away",
    "I'd give it 10 out of 10",
    "Absolutely loved it, 5 stars",
    "The snacks were good but some kids have allergies so maybe fruit",
    "the bus stop is right outside which is handy",
    "Parking was a nightmare on Tuesday",
    "Wee man had a great time",
    "He was a wee bit unsure at first",
    "Thank you to all the staff, you have been amazing",
    "i was scared of the drums",
    "I made a rocket and a cat",
    "the playdough was squishy",
    "i want to do it again again",
    "Can my big sister come next time",
    "Nothing, it was all good",
    "Maybe a bit more time to tidy up at the end",
    "Dad came this week and he loved it too",
    "Mum says its the highlight of her week",
    "We got the number 22 bus and it was easy to find",
    "I will recommend to my friends at nursery",
    "Its hard to get out the house with twins but worth it",
    "The leaflet said 10am but it started at 10.15",
    "The sensory stuff was great for my baby who is 9 months",
    "Could there be a Polish speaking worker sometimes?",
    "Translation really helped, my English is not good",
    "I feel more confident playing with my daughter at home now",
    "Didnt know anyone but now I have made friends",
    "Would be nice to have it in the school holidays",
    "The hall was cold in winter",
    "Sorry we missed a few weeks, the baby was ill",
    "I miss coming now she has started school",
    "Everything was spot on, no complaints",
    "soooo much fun!!!!",
    "Crafts, singing and snack - what more could you want",
    "It was ok but a bit long for a 2 year old",
    "The worker always remembers our names, makes you feel wanted",
    "I learned that it's ok to make a mess",
    "Sometimes it's too busy and the wee ones get overwhelmed",
    "Mark my words, she'll be an artist one day",
    "Art is his favourite thing now",
    "May I say a big thank you to everyone",
    "The dawn chorus walk in the park was lovely",
    "Sky blue was his colour of the day",
    "Hope you keep running it next year",
    "Grace and patience from all the staff, thank you",
    "Pure joy from start to finish",
    "Will there be a session over Easter?",
    "The rose garden trip was lovely",
    "Bonnie day for it and we got to go outside",
    "Ken what, it was the best thing ive done in ages",
    "I cannae fault it",
    "Brilliant for my wean, she's come on loads",
    "The lassie on the front desk was dead nice",
    "Och it was grand",
    "awesome 👍👍",
    "i liked the bubbles and the parachute game",
    "The parachute was my best bit",
    "my favrit was the paynting",
    "it was fun becos we got to make a mess",
    "i did a big picture for my mum",
    "I was sad when it finished",
    "Could you do an evening session for working parents",
    "Nice to meet other parents from the area",
    "Faith groups in the area should know about this",
    "Worth every penny, and its free!",
    "We walked from Lochee, took 20 mins",
    "Great to see Dundee Contemporary Arts getting involved",
    "Played on the swings in Baxter Park after",
    "On the 2nd week she finally joined in",
    "Session on Wednesday 3pm was perfect",
    "Would be good to have more info on the website",
    "I follow the page on facebook for updates",
    "The bus is 2.50 each way which adds up",
    "The Jack in the Box song is stuck in my head",
    "will u do it in the summer hols",
    "hope it comes back after xmas",
    "my wee one is 18 months and loves it",
    "we go to the library on a friday too",
    "It was really good for his speech, hes saying more words",
    "Staff were kind and never judged me",
    "I would like more sessions for older kids, 5 plus",
    "The room on the 2nd floor was hard with a buggy",
    "got a bit lost finding it, more signs please",
    "It helps me get out the house when I'm feeling low",
    "My mental health has been better since coming",
    "Being around other mums helps",
    "great!!!",
    "It was too short, could it be 2 hours?",
    "The lady at the door didn't know where we were meant to go",
    "I didnt like the loud music",
    "i liked painting my hands",
    "it was braw, ma wee yin loved it",
    "We came 4 weeks in a row",
    "Better than soft play and free",
    "I'd say 9/10 only because of the parking",
    "Wish it was on every day!",
    "Enjoyed it but my baby was teething so we left early",
    "Sunny days outside were the best",
    "It would be nice to have a dad's group maybe in the evenings at 6pm",
    "Really glad I came, I nearly didn't",
    "My older boy was at school so it was nice one to one time",
    "Thanks for the lunch, it helped a lot this week",
    "Summer sessions in the park were the best ones",
    "i made a dinosaur out of a box",
    "the glue was sticky and i got it in my hair",
    "Aye, would recommend",
    "No improvements, keep doing what you are doing",
    "We got the bus from the Overgate",
    "the staff are always smiling and happy to see us",
    "Was abit nervous at 1st but the staff made it easy",
    "Dundee needs more of this",
    "I think more advertising on social media",
    "Makes my week tbh",
    "Very nice, my son very happy. Thank you",
    "Kids loved the mark making, I loved the cuppa",
    "Having a free creche let me do the course",
    "Really helped me understand his feelings",
    "I am learning English and the staff speak slowly for me, thank you",
    "lol he ate the playdough",
    "Tried it 3 times now, gets better every time",
    "There should be more sessions in the east end",
    "Joy and laughter every week",
    "Could you add a session at the Central Library?",
    # Second, held-out batch (see PLANTED).
    "I will definitely tell other parents about it",
    "It was a joy, thank you all",
    "Hope to see you all next term",
    "The wee one had a bonnie time",
    "Would love more sessions over the holidays",
    "We will try to come every week",
    "Grace was said before lunch which was nice",
    "May be better to start a bit later",
    "The painting was fab, a real work of art",
    "Summer was too hot in that room",
    "Loved it, the bairns had a blast",
    "Ye ken its good when they dont want to leave",
    "aye brilliant",
    "Mark on the wall from the paint but the staff didnt mind",
    "Bill at the end was for the trip, that was fine",
    "i liked the trains best",
    "she greets when we leave lol",
    "My son has additional needs and felt included",
    "It was good to talk to other mums about sleep",
    "I was worried about the cost but it was all free",
    "Sky was falling on us when it rained in the garden ha",
    "Faith and hope are what keep me going, this group helps",
    "We came on the bus from Whitfield",
    "Really friendly, would recommend to anyone",
    "The songs were in Polish too which was lovely",
    "Could use more chairs for the grans who come",
    "More outdoor play would be good",
    "She sleeps better after the sessions",
    "Brilliant, just brilliant",
    "I enjoyed having a cuppa and a blether",
    "The staff made it easy to ask for help",
    "He loves the music man",
    "We were there for 2 hours and it flew by",
    "Helped with my confidence a lot",
    "Very good. Thank you very much",
    "Nothing to improve",
    "Wasnt sure at the start but glad we came",
    "They learned to share which is a big thing for them",
    "Great to have a space where its ok if the kids are loud",
    "Too many people some weeks",
    "Loved the Christmas party",
    "Could you do one at the Menzieshill community centre",
    "The website was hard to use on my phone",
    "i want to paint a dragon next time",
    "Jolly good fun",
    "Art was the best part for her",
    "Dawn sessions would never work for us haha",
    "Rose gold glitter everywhere at home now",
    "Will you send the photos?",
    "Dundee needs more free things for families like this",
]


@dataclass(frozen=True)
class Case:
    """One answer as a respondent would type it, with the identifiers planted in it."""

    text: str
    planted: tuple[tuple[str, int, int], ...]  # (kind, start, end) in text


_MARK = re.compile(r"\{(\w+):([^{}]+)\}")


def parse(marked: str) -> Case:
    """Strip ``{kind:text}`` marks, keeping where each identifier sits in the plain text."""
    text, planted, last = [], [], 0
    length = 0
    for mark in _MARK.finditer(marked):
        kind, value = mark.group(1), mark.group(2)
        assert kind in KINDS, kind
        before = marked[last : mark.start()]
        text.append(before)
        length += len(before)
        planted.append((kind, length, length + len(value)))
        text.append(value)
        length += len(value)
        last = mark.end()
    text.append(marked[last:])
    return Case("".join(text), tuple(planted))


PLANTED_CASES = tuple(parse(marked) for marked in PLANTED)
CLEAN_CASES = tuple(parse(marked) for marked in CLEAN)


@dataclass
class Figures:
    """Recall per kind over the planted answers, and how often clean answers were altered."""

    planted: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    labelled: dict[str, int] = field(default_factory=dict)  # removed under the right placeholder
    missed: list[tuple[str, str]] = field(default_factory=list)  # (kind, answer)
    clean: int = 0
    clean_altered: list[str] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)  # over-redaction inside planted answers

    def recall(self, kind: str) -> float:
        return self.removed.get(kind, 0) / self.planted[kind] if self.planted.get(kind) else 1.0

    @property
    def clean_altered_share(self) -> float:
        return len(self.clean_altered) / self.clean if self.clean else 0.0

    def table(self) -> str:
        """The figures as a markdown table."""
        rows = [
            "| kind | planted | removed | recall | right placeholder |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for kind in KINDS:
            n = self.planted.get(kind, 0)
            rows.append(
                f"| {kind} | {n} | {self.removed.get(kind, 0)} | {self.recall(kind):.3f} "
                f"| {self.labelled.get(kind, 0)} |"
            )
        rows.append(
            f"| clean answers altered | {self.clean} | {len(self.clean_altered)} "
            f"| {self.clean_altered_share:.3f} | |"
        )
        rows.append(f"| extra replacements in planted answers | | {len(self.extra)} | | |")
        return "\n".join(rows)


# A finder takes an answer and returns (kind, start, end) spans in that answer's own offsets.
Finder = Callable[[str], Iterable[tuple[str, int, int]]]


def score(find: Finder, altered: Callable[[str], bool]) -> Figures:
    """Measure a redactor: ``find`` gives the spans it would replace, ``altered`` whether it changes text.

    An identifier counts as removed only when every letter and digit of it lies inside a found
    span: leaving the "flat 3/2" of an address, or the surname of a full name, is a miss.
    """
    figures = Figures()
    for case in PLANTED_CASES:
        found = list(find(case.text))
        for kind, start, end in case.planted:
            figures.planted[kind] = figures.planted.get(kind, 0) + 1
            covered = all(
                any(s <= i < e for _, s, e in found) for i in range(start, end) if case.text[i].isalnum()
            )
            if covered:
                figures.removed[kind] = figures.removed.get(kind, 0) + 1
                if any(k == kind and s < end and start < e for k, s, e in found):
                    figures.labelled[kind] = figures.labelled.get(kind, 0) + 1
            else:
                figures.missed.append((kind, case.text))
        for kind, start, end in found:
            if not any(s < end and start < e for _, s, e in case.planted):
                figures.extra.append((kind, case.text[start:end]))
    for case in CLEAN_CASES:
        figures.clean += 1
        if altered(case.text):
            figures.clean_altered.append(case.text)
    return figures
