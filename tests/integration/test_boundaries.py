"""District boundaries loaded from one GeoJSON file (chiiki_care/setup/boundaries.py): matched by
name, all or nothing, refused in Japanese; and a boundary drawn on the form is checked alike."""

import json

import frappe
import pytest

from chiiki_care.setup.boundaries import load_boundaries, load_boundaries_file
from chiiki_care.setup.districts import DistrictLoadError
from tests.integration.helpers import JAPANESE

pytestmark = pytest.mark.usefixtures("japanese")

SQUARE = [[[135.60, 34.80], [135.62, 34.80], [135.62, 34.82], [135.60, 34.82], [135.60, 34.80]]]


def feature(name, coordinates=SQUARE, kind="Polygon"):
	return {
		"type": "Feature",
		"properties": {"name": name},
		"geometry": {"type": kind, "coordinates": coordinates},
	}


def collection(*features):
	return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)


def boundary_of(name):
	return frappe.db.get_value("District", name, "boundary")


def quiet(_message=""):
	pass


def test_boundaries_are_loaded_for_the_districts_the_file_names(world):
	assert load_boundaries(collection(feature(world.a1), feature(world.b1)), echo=quiet) == 2
	stored = json.loads(boundary_of(world.a1))
	assert stored["features"][0]["geometry"]["coordinates"] == SQUARE
	assert boundary_of(world.b1) and not boundary_of(world.a2)


@pytest.mark.parametrize(
	"bad,fragment",
	[
		(feature("存在しない小学校区"), "存在しない小学校区"),
		(feature("X", [135.6, 34.8], kind="Point"), "ポリゴン"),
		(feature("X", [[[135.6, 34.8], [135.7, 34.8], [135.7, 34.9], [135.6, 34.9]]]), "閉じて"),
	],
)
def test_a_file_with_one_bad_feature_is_refused_whole(world, bad, fragment):
	with pytest.raises(DistrictLoadError) as info:
		load_boundaries(collection(feature(world.a1), bad), echo=quiet)
	message = "\n".join(info.value.messages)
	assert JAPANESE.search(message) and fragment in message, message
	assert not boundary_of(world.a1)  # nothing was loaded


def test_a_boundary_drawn_on_the_form_is_checked(world):
	doc = frappe.get_doc("District", world.a2)
	doc.boundary = collection(feature(world.a2, [135.6, 34.8], kind="Point"))
	with pytest.raises(frappe.ValidationError) as info:
		doc.save()
	assert JAPANESE.search(str(info.value))
	doc = frappe.get_doc("District", world.a2)
	doc.boundary = collection(feature(world.a2))
	doc.save()
	assert boundary_of(world.a2)


def test_a_file_that_is_not_utf_8_is_refused_in_japanese(world, tmp_path):
	path = tmp_path / "shift_jis.geojson"
	path.write_bytes(collection(feature(world.a1)).encode("shift_jis"))
	with pytest.raises(DistrictLoadError) as info:
		load_boundaries_file(str(path), echo=quiet)
	assert JAPANESE.search(info.value.messages[0])
	assert not boundary_of(world.a1)
