"""Checks on the faces and pictures children tap: safe to inline, scalable, light, legible.

The SVGs are hand-written, so these tests are what keeps a later edit from
adding a script, a fixed size, an external link, a colour that fades into
white, or a face that only differs from its neighbour by colour.
"""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "frontend" / "static"
FACES = STATIC / "faces"
PICTURES = STATIC / "pictures"

SVG_NS = "{http://www.w3.org/2000/svg}"
MAX_BYTES = 1500  # cheap phones on slow data; "under 1.5 KB"
MIN_CONTRAST = 3.0  # WCAG 2.2 SC 1.4.11 non-text contrast
WHITE = "#ffffff"

FIVE_POINT = ["face-1.svg", "face-2.svg", "face-3.svg", "face-4.svg", "face-5.svg"]
THREE_POINT = ["face3-1.svg", "face3-2.svg", "face3-3.svg"]
PICTURE_KEYS = [
    "cat", "dog", "fish", "bird", "sun", "moon", "star", "tree",
    "flower", "apple", "ball", "car", "boat", "house", "heart", "hat",
]

ALL_SVGS = sorted(FACES.glob("*.svg")) + sorted(PICTURES.glob("*.svg"))


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    red, green, blue = linear
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    darker, lighter = sorted([relative_luminance(first), relative_luminance(second)])
    return (lighter + 0.05) / (darker + 0.05)


def painted_colours(root: ET.Element, attribute: str) -> set[str]:
    return {
        element.get(attribute).lower()
        for element in root.iter()
        if element.get(attribute) not in (None, "none")
    }


def drawing_without_colour(path: Path) -> list[tuple]:
    """The shapes of a drawing with every colour removed: what a black-and-white print shows."""
    colourless = []
    for element in ET.parse(path).getroot().iter():
        attributes = {k: v for k, v in element.attrib.items() if k not in ("fill", "stroke")}
        colourless.append((element.tag, tuple(sorted(attributes.items()))))
    return colourless


# --- the helpers themselves, so a wrong formula cannot pass every colour ---

def test_contrast_ratio_matches_known_wcag_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffd54f", "#ffffff") < MIN_CONTRAST  # yellow alone would fail on white


# --- every SVG ---

def test_all_expected_files_are_present():
    assert sorted(p.name for p in FACES.glob("*.svg")) == sorted(FIVE_POINT + THREE_POINT)
    assert sorted(p.stem for p in PICTURES.glob("*.svg")) == sorted(PICTURE_KEYS)


@pytest.mark.parametrize("path", ALL_SVGS, ids=lambda p: p.name)
def test_root_is_a_scalable_decorative_svg(path):
    root = ET.parse(path).getroot()
    assert root.tag == SVG_NS + "svg"
    assert root.get("viewBox") == "0 0 64 64"
    assert root.get("aria-hidden") == "true"
    assert root.get("focusable") == "false"
    assert "width" not in root.attrib
    assert "height" not in root.attrib


@pytest.mark.parametrize("path", ALL_SVGS, ids=lambda p: p.name)
def test_nothing_runs_and_nothing_is_fetched(path):
    root = ET.parse(path).getroot()
    for element in root.iter():
        local_name = element.tag.removeprefix(SVG_NS)
        assert local_name not in ("script", "foreignObject", "image", "style", "text")
        for name, value in element.attrib.items():
            local_attribute = name.rsplit("}", 1)[-1]
            assert not local_attribute.startswith("on"), f"event handler {name}"
            if local_attribute == "href":
                assert value.startswith("#"), f"external reference {value}"
            assert "url(" not in value or value.startswith("url(#"), f"external reference {value}"


@pytest.mark.parametrize("path", ALL_SVGS, ids=lambda p: p.name)
def test_file_is_small(path):
    assert path.stat().st_size < MAX_BYTES


@pytest.mark.parametrize("path", ALL_SVGS, ids=lambda p: p.name)
def test_colours_are_plain_hex_attributes(path):
    # Colours only in fill/stroke attributes as #rrggbb, so the contrast test below sees them all.
    root = ET.parse(path).getroot()
    for element in root.iter():
        assert "style" not in element.attrib
        for attribute in ("fill", "stroke", "color", "stop-color"):
            value = element.get(attribute)
            if value is not None:
                assert value == "none" or re.fullmatch(r"#[0-9a-f]{6}", value), value


@pytest.mark.parametrize("path", ALL_SVGS, ids=lambda p: p.name)
def test_outline_stands_out_from_white_and_from_every_fill(path):
    root = ET.parse(path).getroot()
    outlines = painted_colours(root, "stroke")
    fills = painted_colours(root, "fill") - outlines  # shapes filled with the outline colour are ink
    assert outlines, "a drawing needs a dark outline"
    for outline in outlines:
        assert contrast_ratio(outline, WHITE) >= MIN_CONTRAST, outline
        for fill in fills:
            assert contrast_ratio(outline, fill) >= MIN_CONTRAST, (outline, fill)


# --- faces ---

@pytest.mark.parametrize("scale", [FIVE_POINT, THREE_POINT], ids=["5-point", "3-point"])
def test_faces_differ_in_black_and_white(scale):
    drawings = [drawing_without_colour(FACES / name) for name in scale]
    for i, first in enumerate(drawings):
        for j, second in enumerate(drawings[i + 1 :], start=i + 1):
            assert first != second, f"{scale[i]} and {scale[j]} look the same without colour"


@pytest.mark.parametrize("scale", [FIVE_POINT, THREE_POINT], ids=["5-point", "3-point"])
def test_faces_share_one_face_colour_so_colour_is_not_the_message(scale):
    face_fills = {ET.parse(FACES / name).getroot().find(SVG_NS + "circle").get("fill") for name in scale}
    assert len(face_fills) == 1


def test_faces_readme_names_every_face_with_its_word():
    readme = (FACES / "README.md").read_text(encoding="utf-8")
    labels = {
        "face-1.svg": "Awful", "face-2.svg": "Not very good", "face-3.svg": "OK",
        "face-4.svg": "Really good", "face-5.svg": "Brilliant",
        "face3-1.svg": "Sad", "face3-2.svg": "OK", "face3-3.svg": "Happy",
    }
    for name, word in labels.items():
        assert re.search(rf"`{re.escape(name)}`\s*\|\s*{re.escape(word)}\s*\|", readme), name
    assert "Licence" in readme


# --- pictures ---

def test_index_lists_every_picture_once_in_order():
    index = json.loads((PICTURES / "index.json").read_text(encoding="utf-8"))
    assert [entry["key"] for entry in index] == PICTURE_KEYS
    for entry in index:
        assert set(entry) == {"key", "word"}
        assert (PICTURES / f"{entry['key']}.svg").is_file()
        assert entry["word"] == entry["key"].capitalize()


def test_pictures_readme_maps_every_file_to_its_word():
    readme = (PICTURES / "README.md").read_text(encoding="utf-8")
    index = json.loads((PICTURES / "index.json").read_text(encoding="utf-8"))
    for entry in index:
        assert re.search(rf"`{entry['key']}\.svg`\s*\|\s*{entry['word']}\s*\|", readme), entry["key"]
    assert "Licence" in readme


def test_pictures_differ_in_black_and_white():
    drawings = {key: drawing_without_colour(PICTURES / f"{key}.svg") for key in PICTURE_KEYS}
    assert len({tuple(d) for d in drawings.values()}) == len(PICTURE_KEYS)
