"""The settings are read once, with one set of defaults, and checked before anything is built."""

import pytest

from conftest import SETTINGS, build_site
from press.build.errors import BuildError
from press.core.settings import DEFAULTS, SettingsError, load_settings


def test_every_default_is_filled_in_and_deploy_is_merged_part_by_part():
    settings = load_settings(SETTINGS, {"DEPLOY": {"RSYNC": {"target": "/srv/site"}}})
    assert DEFAULTS.keys() <= settings.keys()
    assert settings["DEPLOY"]["RSYNC"] == {"target": "/srv/site", "keep": 5, "ssh": ["ssh"]}
    assert settings["DEPLOY"]["GH_PAGES"] == DEFAULTS["DEPLOY"]["GH_PAGES"]


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ({"OFFLINE": "yes"}, "OFFLINE"),
        ({"BUILD_NOW": 20300101}, "BUILD_NOW"),  # neither a date nor a moment
        ({"CHECK_MAX_NESTING": True}, "CHECK_MAX_NESTING"),  # a bool is not a count
        ({"CHECK_MAX_IMAGE_PIXELS": "50M"}, "CHECK_MAX_IMAGE_PIXELS"),
        ({"I18N_LANGUAGES": ["en", "ko"]}, "I18N_LANGUAGES"),
        ({"I18N_PUBLISH_REVIEW_STATES": ["approved", "reviewed"]}, "I18N_PUBLISH_REVIEW_STATES"),
        # A string would be split on its spaces, a key file's path with them.
        ({"DEPLOY": {"RSYNC": {"ssh": "ssh -p 2222"}}}, "DEPLOY['RSYNC']['ssh']"),
        ({"DEPLOY": {"RSYNC": {"ssh": []}}}, "DEPLOY['RSYNC']['ssh']"),
        ({"DEPLOY": {"RSYNC": {"keep": "5"}}}, "DEPLOY['RSYNC']['keep']"),
    ],
)
def test_a_setting_of_the_wrong_type_or_value_is_refused_naming_the_file_and_key(override, key):
    with pytest.raises(SettingsError) as caught:
        load_settings(SETTINGS, override)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{SETTINGS}: {key} ")


def test_settings_of_the_right_types_are_taken_as_given():
    settings = load_settings(
        SETTINGS,
        {"CHECK_IMAGE_EXTENSIONS": [".png"], "BUILD_NOW": "2030-01-01", "OFFLINE": False},
    )
    assert settings["CHECK_IMAGE_EXTENSIONS"] == [".png"]
    assert settings["BUILD_NOW"] == "2030-01-01"


def test_a_build_with_a_wrong_setting_stops_before_anything_is_written(tmp_path):
    with pytest.raises(BuildError) as caught:
        build_site(tmp_path / "output", INCREMENTAL_BUILD="no")
    assert any("INCREMENTAL_BUILD" in problem for problem in caught.value.problems)
    assert not (tmp_path / "output").exists()
