import copy
import json
from pathlib import Path

import pytest

from forms import (
    FACILITY_TYPES,
    TemplateError,
    items_for,
    load_builtin_templates,
    load_template,
    merge_templates,
    rebase_extension,
    template_from_dict,
    template_to_dict,
)
from forms.model import TEMPLATES_DIR

# Pure tests: no database transaction needed.

KK_LETTERS = set("әғқңөұүһі")


@pytest.fixture(scope="module")
def national():
    return load_template(TEMPLATES_DIR / "national.yaml")


@pytest.fixture(scope="module")
def regional():
    return load_template(TEMPLATES_DIR / "region_750000000.yaml")


def test_builtin_templates_load(national, regional):
    codes = {(t.code, t.version) for t in load_builtin_templates()}
    assert ("national", 1) in codes and ("region_750000000", 1) in codes
    assert [s.code for s in national.sections] == ["safety", "nutrition", "health"]
    for sec in national.sections:
        assert 12 <= len(sec.items) <= 18, sec.code


def test_national_texts_are_trilingual_and_kazakh_is_kazakh(national):
    kk_text = " ".join(it.text.kk for s in national.sections for it in s.items)
    assert KK_LETTERS <= set(kk_text), KK_LETTERS - set(kk_text)
    for sec in national.sections:
        for it in sec.items:
            assert it.text.ru and it.text.kk and it.text.en
            assert it.text.kk != it.text.ru
            if it.kind != "text":
                assert it.corrective_action is not None, it.code


def test_key_items_present(national):
    codes = set(national.items_by_code)
    for code in (
        "safety.video_police",
        "safety.panic_button",
        "safety.turnstiles",
        "safety.guard_licensed",
        "safety.hotline_111_qr",
        "safety.anti_bullying",
        "nutrition.free_meals",
        "nutrition.fridge_temp",
        "health.nurse_present",
        "health.psychologist",
    ):
        assert code in codes
    fridge = national.items_by_code["nutrition.fridge_temp"][1]
    assert (fridge.kind, fridge.min, fridge.max, fridge.unit) == ("number", 2, 6, "°C")


def test_round_trip_through_json_keeps_template_and_checksum(national, regional):
    merged = merge_templates(national, regional)
    for t in (national, regional, merged):
        restored = template_from_dict(json.loads(json.dumps(template_to_dict(t))))
        assert restored == t
        assert restored.checksum == t.checksum


def test_checksum_changes_with_content_only(national, tmp_path):
    text = (TEMPLATES_DIR / "national.yaml").read_text(encoding="utf-8")
    copy_path = tmp_path / "same.yaml"
    copy_path.write_text("# a comment only\n" + text, encoding="utf-8")
    assert load_template(copy_path).checksum == national.checksum
    changed = tmp_path / "changed.yaml"
    changed.write_text(text.replace("max: 6", "max: 8", 1), encoding="utf-8")
    assert load_template(changed).checksum != national.checksum
    assert len(national.checksum) == 64


def test_malformed_template_is_rejected_with_file_and_item(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "code: x\nversion: 1\ntitle: {ru: a, kk: ә, en: a}\nsections:\n"
        "  - code: safety\n    title: {ru: a, kk: ә, en: a}\n    items:\n"
        "      - {code: safety.a, kind: slider, severity: major, text: {ru: a, kk: ә, en: a}}\n",
        encoding="utf-8",
    )
    with pytest.raises(TemplateError, match=r"bad\.yaml.*safety\.a.*kind"):
        load_template(bad)


def test_applies_to_filters_items(national):
    camp = {it.code for it in items_for(national, "summer_camp")}
    kindergarten = {it.code for it in items_for(national, "kindergarten")}
    school = {it.code for it in items_for(national, "school")}
    assert "safety.personal_safety_lessons" in school
    assert "safety.personal_safety_lessons" not in camp  # a camp has no lessons
    assert "safety.turnstiles" not in kindergarten
    assert "safety.turnstiles" in school
    assert "safety.video_police" in camp & kindergarten & school
    for ft in FACILITY_TYPES:
        assert items_for(national, ft)
    with pytest.raises(ValueError):
        items_for(national, "casino")


def test_merge_adds_items_to_existing_and_new_sections(national, regional):
    merged = merge_templates(national, regional)
    assert merged.code == "region_750000000"
    assert (merged.extends.code, merged.extends.version) == ("national", 1)
    assert [s.code for s in merged.sections] == ["safety", "nutrition", "health", "transport"]
    safety = merged.section("safety")
    assert safety.title == national.section("safety").title
    assert safety.items[: len(national.section("safety").items)] == national.section("safety").items
    assert "safety.almaty_earthquake_drill" in merged.items_by_code
    assert set(national.items_by_code) < set(merged.items_by_code)
    assert "transport.bus_safety" not in {i.code for i in items_for(merged, "kindergarten")}


def _regional_dict(regional):
    return copy.deepcopy(template_to_dict(regional))


def test_merge_rejects_redefinition_of_national_item(national, regional):
    data = _regional_dict(regional)
    data["sections"][0]["items"][0]["code"] = "safety.panic_button"
    with pytest.raises(TemplateError, match="safety.panic_button.*not redefine or remove"):
        merge_templates(national, template_from_dict(data))


def test_regional_file_cannot_remove_items(national, regional, tmp_path):
    data = _regional_dict(regional)
    data["remove"] = ["safety.turnstiles"]
    with pytest.raises(TemplateError, match="never remove"):
        template_from_dict(data)
    data = _regional_dict(regional)
    data["sections"][0]["exclude"] = ["safety.turnstiles"]
    with pytest.raises(TemplateError, match="never remove"):
        template_from_dict(data)


def test_merge_rejects_retitled_section_and_wrong_base(national, regional):
    data = _regional_dict(regional)
    data["sections"][0]["title"] = {"ru": "Охрана", "kk": "Күзет", "en": "Guarding"}
    with pytest.raises(TemplateError, match="redefine the national section title"):
        merge_templates(national, template_from_dict(data))
    data = _regional_dict(regional)
    data["extends"]["version"] = 2
    with pytest.raises(TemplateError, match="extends national v2"):
        merge_templates(national, template_from_dict(data))


def test_builtin_dir_has_only_yaml_templates():
    assert all(p.suffix == ".yaml" for p in Path(TEMPLATES_DIR).iterdir())


def test_stored_json_with_wrong_types_is_rejected(national):
    data = template_to_dict(national)
    data["version"] = "1"
    with pytest.raises(TemplateError, match="version"):
        template_from_dict(data)
    data = template_to_dict(national)
    data["sections"][1]["items"][0]["options"][0]["fails"] = "no"
    with pytest.raises(TemplateError, match="fails"):
        template_from_dict(data)
    data = template_to_dict(national)
    del data["sections"][0]["items"][0]["text"]["kk"]
    with pytest.raises(TemplateError, match="kk"):
        template_from_dict(data)


def _next_national(national, *, add_code=None, drop_code=None):
    """National version 2: optionally one item added (copied from `add_code`'s regional wording) or removed."""
    data = copy.deepcopy(template_to_dict(national))
    data["version"] = 2
    if drop_code:
        for section in data["sections"]:
            section["items"] = [i for i in section["items"] if i["code"] != drop_code]
    if add_code:
        item = copy.deepcopy(data["sections"][0]["items"][0])
        item["code"] = add_code
        data["sections"][0]["items"].append(item)
    return template_from_dict(data)


def test_a_regional_extension_is_merged_again_onto_the_next_national_version(national, regional):
    """Does a region keep its own items on the next national version, getting the national changes with them?"""
    merged = merge_templates(national, regional)
    new_national = _next_national(national, drop_code="safety.turnstiles")
    rebased, extension, dropped = rebase_extension(merged, national, new_national, 7)
    assert dropped == ()
    assert (rebased.extends.code, rebased.extends.version) == ("national", 2)
    assert "safety.turnstiles" not in rebased.items_by_code
    assert "safety.almaty_earthquake_drill" in rebased.items_by_code and "transport.bus_safety" in rebased.items_by_code
    assert set(new_national.items_by_code) < set(rebased.items_by_code)
    # What a supervisor would upload: only the region's own items, extending version 2.
    own = {code for section in extension.sections for code in (i.code for i in section.items)}
    assert own == set(merged.items_by_code) - set(national.items_by_code)
    assert merge_templates(new_national, template_from_dict(template_to_dict(extension))) == rebased


def test_an_item_the_national_version_now_has_is_dropped_from_the_extension(national, regional):
    """When the ministry adopts a region's item, does the national wording win and is the item named?"""
    merged = merge_templates(national, regional)
    new_national = _next_national(national, add_code="safety.almaty_earthquake_drill")
    rebased, _, dropped = rebase_extension(merged, national, new_national, 2)
    assert dropped == ("safety.almaty_earthquake_drill",)
    assert rebased.items_by_code["safety.almaty_earthquake_drill"][1] == new_national.items_by_code[
        "safety.almaty_earthquake_drill"][1]
