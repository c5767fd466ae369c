"""The demo data, planned in plain Python (no Frappe), deterministic from a seed.

`build_demo` turns a `Geography` (the district tree as the demo sees it), the need categories, a
resident count, a seed and a reference date into `Record`s (plain dicts with `Ref`s between them)
that `chiiki_care.demo.writer` writes, by normal document inserts or by batched inserts. Every
record is built to pass the app's validations (see the controllers and `chiiki_care.domain.rules`);
`tests/unit/test_demo_plan.py` checks the same rules on the plan itself. The Hirakata district
rows the demo loads are built here too, in the format of `chiiki_care.setup.district_csv`.

Same seed and reference date give the same data: every random choice comes from a
`random.Random` seeded with a string made of the seed and the part being generated.
"""

import csv
import datetime
import json
import math
import random
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from chiiki_care.domain import rules
from chiiki_care.setup.district_csv import DistrictRow

D = datetime.date
DT = datetime.datetime

DEMO_DOMAIN = "demo.chiiki-care.example"
DEMO_PASSWORD = "Demo#2026chiiki"
MANAGER_EMAIL = f"manager@{DEMO_DOMAIN}"
SIZES = {"small": 300, "medium": 5_000, "large": 30_000}

DATA_DIR = Path(__file__).resolve().parents[1] / "demo_data"
HIRAKATA_SOURCE_CSV = DATA_DIR / "hirakata_districts.csv"
HIRAKATA_DISTRICTS_CSV = DATA_DIR / "hirakata_districts_illustrative.csv"
# illustrative_boundaries() written out, for the demo and for trying the boundary import by hand
HIRAKATA_BOUNDARIES = DATA_DIR / "hirakata_boundaries_illustrative.geojson"

# Hirakata's published figures (see /work/shared/data/README.md): about 390,000 people (2024),
# 28.8% aged 65+ (2023). The split over school districts is illustrative.
CITY_NAME = "枚方市"
CITY_TOTAL = 390_000
CITY_AGED = 112_000
POPULATION_AS_OF = D(2024, 3, 31)
CITY_CENTER = (34.8145, 135.6507)
# The one known 圏域: the centre 松徳会 serves 明倫, 中宮, 桜丘 and 桜丘北 (about 35,000 people, 28%).
KNOWN_AREA_GROUPING = "松徳会 area"
KNOWN_AREA_CENTER = "高齢者サポートセンター松徳会"
KNOWN_AREA_TOTAL = 35_000
KNOWN_AREA_AGED = 9_800

CITY = rules.CITY
AREA = rules.DAILY_LIFE_AREA
SCHOOL = rules.SCHOOL_DISTRICT


# ---------------------------------------------------------------------------------------------
# Small deterministic helpers
# ---------------------------------------------------------------------------------------------


def make_rng(seed, part: str) -> random.Random:
	"""A generator for one part of the plan: independent of the other parts, same for the same seed."""
	return random.Random(f"chiiki-care-demo:{seed}:{part}")


def stable_hash(text: str) -> int:
	return zlib.crc32(text.encode("utf-8"))


def apportion(total: int, weights: list[float]) -> list[int]:
	"""Split `total` into integers proportional to `weights` (largest remainder; ties by position)."""
	if total < 0:
		raise ValueError("total must not be negative")
	if not weights:
		return []
	weight_sum = sum(weights)
	if weight_sum <= 0:
		weights = [1.0] * len(weights)
		weight_sum = float(len(weights))
	quotas = [total * w / weight_sum for w in weights]
	shares = [math.floor(q) for q in quotas]
	left = total - sum(shares)
	by_remainder = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - shares[i]), i))
	for i in by_remainder[:left]:
		shares[i] += 1
	return shares


def weighted_choice(rng: random.Random, options: dict):
	"""One key of `options`, drawn with its value as weight (one random number per draw)."""
	x = rng.random() * sum(options.values())
	for key, weight in options.items():
		x -= weight
		if x < 0:
			return key
	return key


def to_katakana(text: str) -> str:
	"""Hiragana to katakana (other characters kept)."""
	return "".join(
		chr(ord(ch) + rules.KATAKANA_OFFSET) if rules.HIRAGANA_START <= ord(ch) <= rules.HIRAGANA_END else ch
		for ch in text
	)


def at(day: D, minutes: int) -> DT:
	"""A timestamp on `day`, `minutes` after 08:00."""
	return DT.combine(day, datetime.time(8, 0)) + datetime.timedelta(minutes=minutes)


def geojson_point(lat: float, lng: float) -> str:
	"""A Geolocation field value: a GeoJSON FeatureCollection holding one point."""
	return json.dumps(
		{
			"type": "FeatureCollection",
			"features": [
				{
					"type": "Feature",
					"properties": {},
					"geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
				}
			],
		},
		ensure_ascii=False,
	)


def fake_phone(rng: random.Random, mobile: bool = False) -> str:
	"""A phone number that cannot be assigned in Japan (subscriber part starting with 0)."""
	if mobile:
		return f"090-0{rng.randint(0, 999):03d}-{rng.randint(0, 9999):04d}"
	return f"072-0{rng.randint(0, 99):02d}-{rng.randint(0, 9999):04d}"


# ---------------------------------------------------------------------------------------------
# Hirakata: 43 school districts in 13 illustrative areas, with an illustrative population split
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceDistrict:
	name: str
	known_grouping: str
	area: int
	lat: float
	lng: float


def read_hirakata_source(path: Path = HIRAKATA_SOURCE_CSV) -> list[SourceDistrict]:
	with open(path, encoding="utf-8", newline="") as f:
		return [
			SourceDistrict(
				name=row["school_district"].strip(),
				known_grouping=row["known_grouping"].strip(),
				area=int(row["illustrative_area"]),
				lat=float(row["approx_lat"]),
				lng=float(row["approx_lng"]),
			)
			for row in csv.DictReader(f)
		]


def school_district_name(base: str) -> str:
	return f"{base}校区"


def area_name(number: int) -> str:
	return f"第{number}圏域（例示）"


def split_population(
	names: list[str],
	total: int,
	aged: int,
	seed="population",
	fixed_groups: tuple = (),
) -> dict[str, tuple[int, int]]:
	"""An illustrative (total, aged 65+) per district summing exactly to `total` and `aged`.

	`fixed_groups` holds (names, group_total, group_aged) for groups whose sum is known; the other
	districts share the rest. Districts differ in size (0.6 to 1.4 of the average) and aging rate
	(22% to 38% before scaling), so rates per 1,000 aged 65+ differ between districts.
	"""
	rng = make_rng(seed, "population")
	fixed_names = {name for group, _t, _a in fixed_groups for name in group}
	groups = [(list(group), group_total, group_aged) for group, group_total, group_aged in fixed_groups]
	rest = [name for name in names if name not in fixed_names]
	groups.append((rest, total - sum(g[1] for g in groups), aged - sum(g[2] for g in groups)))
	size = {name: rng.uniform(0.6, 1.4) for name in names}
	rate = {name: rng.uniform(0.22, 0.38) for name in names}
	result = {}
	for group, group_total, group_aged in groups:
		if not group:
			continue
		totals = apportion(group_total, [size[n] for n in group])
		aged_shares = apportion(group_aged, [t * rate[n] for n, t in zip(group, totals, strict=True)])
		for name, t, a in zip(group, totals, aged_shares, strict=True):
			result[name] = (t, a)
	return result


def hirakata_district_rows(source: list[SourceDistrict] | None = None) -> list[DistrictRow]:
	"""The demo's district tree for Hirakata in the loader's format (City → 13 areas → 43 school districts)."""
	source = source if source is not None else read_hirakata_source()
	by_area = defaultdict(list)
	for district in source:
		by_area[district.area].append(district)
	known = [school_district_name(d.name) for d in source if d.known_grouping == KNOWN_AREA_GROUPING]
	figures = split_population(
		[school_district_name(d.name) for d in source],
		CITY_TOTAL,
		CITY_AGED,
		fixed_groups=((known, KNOWN_AREA_TOTAL, KNOWN_AREA_AGED),) if known else (),
	)
	rows = [
		DistrictRow(
			line=2,
			district_name=CITY_NAME,
			district_type=CITY,
			population_total=CITY_TOTAL,
			population_65_plus=CITY_AGED,
			population_as_of=POPULATION_AS_OF,
			description=(
				"枚方市全域。総人口 約390,000人（2024年）、65歳以上 28.8%（2023年）の公表値をもとにした概数。"
				"日常生活圏域と小学校区への配分はデモ用の例示です。"
			),
		)
	]
	for number in sorted(by_area):
		members = by_area[number]
		center = (
			KNOWN_AREA_CENTER
			if any(d.known_grouping == KNOWN_AREA_GROUPING for d in members)
			else f"第{number}圏域 高齢者サポートセンター（例示）"
		)
		schools = [school_district_name(d.name) for d in members]
		rows.append(
			DistrictRow(
				line=0,
				district_name=area_name(number),
				district_type=AREA,
				parent_district=CITY_NAME,
				support_center=center,
				population_total=sum(figures[s][0] for s in schools),
				population_65_plus=sum(figures[s][1] for s in schools),
				population_as_of=POPULATION_AS_OF,
				is_illustrative=1,
				description=(
					"例示のためのグループ分けです。枚方市の公式な日常生活圏域の区分表ではありません"
					"（公式の13圏域の表は未入手）。市の公式の地区表は chiiki-care-load-districts で読み込めます。"
					f"所属小学校区: {'、'.join(schools)}"
				),
			)
		)
		for district in members:
			name = school_district_name(district.name)
			rows.append(
				DistrictRow(
					line=0,
					district_name=name,
					district_type=SCHOOL,
					parent_district=area_name(number),
					support_center=center,
					population_total=figures[name][0],
					population_65_plus=figures[name][1],
					population_as_of=POPULATION_AS_OF,
					is_illustrative=1,
					description=(
						f"{district.name}小学校区。所属圏域と人口はデモ用の例示値"
						"（市全体の公表値を校区に按分したもの）で、公式の統計ではありません。"
					),
				)
			)
	for line, row in enumerate(rows, start=2):
		row.line = line
	return rows


def hirakata_coordinates(source: list[SourceDistrict] | None = None) -> dict[str, tuple[float, float]]:
	source = source if source is not None else read_hirakata_source()
	return {school_district_name(d.name): (d.lat, d.lng) for d in source}


def approximate_location(name: str, known: dict[str, tuple[float, float]]) -> tuple[float, float]:
	"""Known coordinates, else a stable point within about 4 km of Hirakata's centre."""
	if name in known:
		return known[name]
	h = stable_hash(name)
	return (
		CITY_CENTER[0] + ((h % 1000) / 1000 - 0.5) * 0.07,
		CITY_CENTER[1] + (((h // 1000) % 1000) / 1000 - 0.5) * 0.08,
	)


BOUNDARY_MARGIN = 0.012  # degrees around the outermost school districts


def illustrative_boundaries(source: list[SourceDistrict] | None = None) -> dict:
	"""A GeoJSON FeatureCollection with a drawn boundary per school district, for the demo only: the
	places nearer to its approximate centre than to any other (a Voronoi cell, clipped to a box around
	the city). Not the official 小学校区 boundaries; each feature says so (`illustrative`)."""
	source = source if source is not None else read_hirakata_source()
	scale = math.cos(math.radians(CITY_CENTER[0]))  # a degree of longitude is shorter than one of latitude
	points = [(d.lng * scale, d.lat) for d in source]
	box = [
		(min(x for x, _y in points) - BOUNDARY_MARGIN, min(y for _x, y in points) - BOUNDARY_MARGIN),
		(max(x for x, _y in points) + BOUNDARY_MARGIN, min(y for _x, y in points) - BOUNDARY_MARGIN),
		(max(x for x, _y in points) + BOUNDARY_MARGIN, max(y for _x, y in points) + BOUNDARY_MARGIN),
		(min(x for x, _y in points) - BOUNDARY_MARGIN, max(y for _x, y in points) + BOUNDARY_MARGIN),
	]
	features = []
	for district, point in zip(source, points, strict=True):
		cell = box
		for other in points:
			if other != point:
				cell = _nearer_half(cell, point, other)
		ring = [[round(x / scale, 6), round(y, 6)] for x, y in cell]
		features.append(
			{
				"type": "Feature",
				"properties": {"district_name": school_district_name(district.name), "illustrative": True},
				"geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
			}
		)
	return {"type": "FeatureCollection", "features": features}


def _nearer_half(polygon: list[tuple], point: tuple, other: tuple) -> list[tuple]:
	"""The part of a convex polygon nearer to `point` than to `other` (Sutherland-Hodgman clipping
	by their perpendicular bisector)."""
	nx, ny = other[0] - point[0], other[1] - point[1]
	limit = (other[0] ** 2 + other[1] ** 2 - point[0] ** 2 - point[1] ** 2) / 2

	def side(v):
		return v[0] * nx + v[1] * ny - limit  # <= 0: nearer to `point`

	kept = []
	for i, current in enumerate(polygon):
		previous = polygon[i - 1]
		s_current, s_previous = side(current), side(previous)
		if (s_current <= 0) != (s_previous <= 0):
			t = s_previous / (s_previous - s_current)
			kept.append(
				(previous[0] + t * (current[0] - previous[0]), previous[1] + t * (current[1] - previous[1]))
			)
		if s_current <= 0:
			kept.append(current)
	return kept


# ---------------------------------------------------------------------------------------------
# Vocabulary: names, organisations and the texts of needs, plans and meetings
# ---------------------------------------------------------------------------------------------

# The tables live in demo_data/vocabulary.json (data, not code); lists are read back as tuples.
VOCABULARY_JSON = DATA_DIR / "vocabulary.json"


def _frozen(value):
	if isinstance(value, list):
		return tuple(_frozen(item) for item in value)
	if isinstance(value, dict):
		return {key: _frozen(item) for key, item in value.items()}
	return value


_VOCABULARY = _frozen(json.loads(VOCABULARY_JSON.read_text(encoding="utf-8")))

# (kanji, hiragana)
FAMILY_NAMES = _VOCABULARY["family_names"]
# Given names by gender and generation: (kanji, hiragana). Katakana-written names were common
# for women born before the war; their kana reading is the name itself.
GIVEN_NAMES = {
	(gender, generation): names
	for gender, by_generation in _VOCABULARY["given_names"].items()
	for generation, names in by_generation.items()
}
CARE_FACILITIES = _VOCABULARY["care_facilities"]
FACILITY_NICKNAMES = _VOCABULARY["facility_nicknames"]
VENUES = _VOCABULARY["venues"]
WEEKDAYS = _VOCABULARY["weekdays"]
HOBBIES = _VOCABULARY["hobbies"]
STOP_REASONS = _VOCABULARY["stop_reasons"]
PLACES = _VOCABULARY["places"]
NEIGHBOURS = _VOCABULARY["neighbours"]
FORMER_WORK = _VOCABULARY["former_work"]
# Need categories shipped as fixtures, with a base share of needs and related categories.
CATEGORY_WEIGHTS = _VOCABULARY["category_weights"]
RELATED_CATEGORIES = _VOCABULARY["related_categories"]
GENERIC_CATEGORY = _VOCABULARY["generic_category"]
# 制度で対応できない困りごと
UNMET_TROUBLES = _VOCABULARY["unmet_troubles"]
# 一時的・即時対応が必要なニーズ (for urgency "Immediate")
URGENT_NEEDS = _VOCABULARY["urgent_needs"]
NOT_URGENT = _VOCABULARY["not_urgent"]
# 人とのつながり・楽しみ・生きがい
CONNECTION_TEMPLATES = _VOCABULARY["connection_templates"]
# 本人の望む暮らし
DESIRED_LIFE = _VOCABULARY["desired_life"]
DESIRED_LIFE_COUPLE = _VOCABULARY["desired_life_couple"]
# Support actions by kind: (description, responsible)
ACTIONS = _VOCABULARY["actions"]
SELF_PAY_BY_CATEGORY = _VOCABULARY["self_pay_by_category"]
FORMAL_BY_CATEGORY = _VOCABULARY["formal_by_category"]
# Community Resource types: (share, domain, formality, need categories, names, providers, cost, capacity)
RESOURCE_TYPES = _VOCABULARY["resource_types"]
RESOURCE_SCHEDULES = _VOCABULARY["resource_schedules"]
RESOURCE_KIND_TYPES = _VOCABULARY["resource_kind_types"]
SELF_PAY_RESOURCE_BY_CATEGORY = _VOCABULARY["self_pay_resource_by_category"]
MONITORING_CONTINUE = _VOCABULARY["monitoring_continue"]
MONITORING_REVISE = _VOCABULARY["monitoring_revise"]
MONITORING_ACHIEVED = _VOCABULARY["monitoring_achieved"]
MONITORING_ENDED = _VOCABULARY["monitoring_ended"]
ISSUE_TITLES = _VOCABULARY["issue_titles"]
COMMUNITY_GOALS = _VOCABULARY["community_goals"]
DEFAULT_COMMUNITY_GOAL = _VOCABULARY["default_community_goal"]
COUNCIL_LOCAL_NAMES = _VOCABULARY["council_local_names"]
COUNCIL_MEMBER_ORGS = _VOCABULARY["council_member_orgs"]
CITY_COUNCIL_MEMBER_ORGS = _VOCABULARY["city_council_member_orgs"]
TRAININGS = _VOCABULARY["trainings"]
# Resident.consent_scope (Select) with the note recorded alongside it.
CONSENT_SCOPES = _VOCABULARY["consent_scopes"]
CONSENT_SCOPE_WEIGHTS = _VOCABULARY["consent_scope_weights"]
EMERGENCY_RELATIONS = _VOCABULARY["emergency_relations"]
CARE_LEVELS_BY_AGE = _VOCABULARY["care_levels_by_age"]
HOUSEHOLDS = _VOCABULARY["households"]

# ---------------------------------------------------------------------------------------------
# The plan: geography in, records out
# ---------------------------------------------------------------------------------------------


@dataclass
class Unit:
	"""Where residents live: a school district (or an area that has none)."""

	name: str
	area: str
	weight: float
	lat: float
	lng: float


@dataclass
class Area:
	name: str
	center: str | None
	units: list[Unit]


@dataclass
class Geography:
	city: str
	areas: list[Area]

	@property
	def units(self) -> list[Unit]:
		return [unit for area in self.areas for unit in area.units]


def geography_from_districts(rows: list) -> Geography:
	"""A `Geography` from district rows in tree order (mappings with name, district_type,
	parent_district, support_center, population_65_plus). An area without school districts is
	its own unit; a missing 65+ figure counts as the average of the known ones."""
	rows = [dict(row) for row in rows]
	city = next((r["name"] for r in rows if r["district_type"] == CITY), None)
	known = hirakata_coordinates()
	figures = [
		r["population_65_plus"] for r in rows if r["district_type"] == SCHOOL and r.get("population_65_plus")
	]
	fallback = sum(figures) / len(figures) if figures else 1.0
	areas = []
	for area in (r for r in rows if r["district_type"] == AREA):
		schools = [
			r for r in rows if r.get("parent_district") == area["name"] and r["district_type"] == SCHOOL
		]
		units = []
		for place in schools or [area]:
			lat, lng = approximate_location(place["name"], known)
			units.append(
				Unit(
					place["name"], area["name"], float(place.get("population_65_plus") or fallback), lat, lng
				)
			)
		areas.append(Area(area["name"], area.get("support_center") or None, units))
	return Geography(city=city, areas=areas)


@dataclass(frozen=True)
class Ref:
	"""A link to another planned record, resolved to a document name when written."""

	doctype: str
	key: str


@dataclass
class Record:
	doctype: str
	key: str
	fields: dict
	children: dict = field(default_factory=dict)
	owner: str = MANAGER_EMAIL
	created: DT | None = None
	modified: DT | None = None


@dataclass
class DemoUser:
	"""A demo login. Japanese order: first_name holds the family name, so Frappe's full name reads 山田 花子."""

	email: str
	first_name: str
	last_name: str
	label: str
	roles: tuple = ()


@dataclass
class Dataset:
	users: list[DemoUser]
	records: dict  # doctype -> list[Record], in `WRITE_ORDER`
	center_staff: dict  # support centre name -> [user email]
	area_centers: dict  # area name -> support centre name (for areas that had none)

	def count(self, doctype: str) -> int:
		return len(self.records.get(doctype, ()))


# Needs that can be lifted into a community issue (a resolved one still counts as evidence).
LIFTABLE_STATUSES = ("New", "Under Review", "Supporting", "Resolved")

# Issues a meeting does not list: not yet discussed, or parked (a meeting would reopen the discussion).
UNDISCUSSED = ("Raised", "On Hold")

WRITE_ORDER = (
	"Support Center",
	"Coordinator",
	"Council",
	"Training Session",
	"Community Resource",
	"Resident",
	"Need",
	"Community Issue",
	"Support Plan",
	"Council Meeting",
)
# Links written after the record they point to exists (both ends refer to each other).
DEFERRED_FIELDS = {"Need": ("support_plan", "community_issue")}


class _People:
	"""Japanese names with kana; with `unique`, no two equal (while the pools last)."""

	def __init__(self, rng: random.Random, unique: bool = True):
		self.rng = rng
		self.unique = unique
		self.used = set()

	def make(self, gender: str, generation: str) -> tuple[str, str, str, str]:
		"""(family, given, family kana, given kana) in hiragana."""
		for _attempt in range(50 if self.unique else 1):
			family, family_kana = self.rng.choice(FAMILY_NAMES)
			given, given_kana = self.rng.choice(GIVEN_NAMES[(gender, generation)])
			if (family, given) not in self.used:
				break
		if self.unique:
			self.used.add((family, given))
		return family, given, family_kana, given_kana


def full_name(family: str, given: str) -> str:
	return f"{family}\u3000{given}"


def full_kana(family_kana: str, given_kana: str) -> str:
	return to_katakana(f"{family_kana}\u3000{given_kana}")


def review_interval(preferred: int, start: D, as_of: D, max_reviews: int = 8) -> int:
	"""Long-running plans are reviewed less often: at most about `max_reviews` reviews so far."""
	weeks = (as_of - start).days / 7
	if weeks / preferred <= max_reviews:
		return preferred
	for interval in (8, 12, 26):
		if interval >= preferred and weeks / interval <= max_reviews:
			return interval
	return 26


def l3_per_area(residents: int, areas: int) -> int:
	"""Layer 3 coordinators per area: at least 3, more as caseloads grow (about 200 residents each)."""
	if areas <= 0:
		return 0
	return max(3, min(20, math.ceil(residents / areas / 200)))


def build_demo(
	geo: Geography,
	categories: list[str],
	residents: int,
	seed: int,
	as_of: D,
) -> Dataset:
	"""The whole demo as records, ready to be written in `WRITE_ORDER`."""
	if not geo.areas or not geo.units:
		raise ValueError("the geography needs at least one daily-life area")
	if not categories:
		raise ValueError("no need categories")
	builder = _Builder(geo, list(categories), residents, seed, as_of)
	return builder.build()


class _Builder:
	def __init__(self, geo: Geography, categories: list[str], residents: int, seed: int, as_of: D):
		self.geo = geo
		self.categories = categories
		self.n_residents = residents
		self.seed = seed
		self.as_of = as_of
		self.records = {doctype: [] for doctype in WRITE_ORDER}
		self.users = []
		self.center_staff = defaultdict(list)
		self.area_centers = {}
		self.people = _People(make_rng(seed, "staff-names"))
		self.unit_of = {unit.name: unit for unit in geo.units}
		self.area_of = {area.name: area for area in geo.areas}
		self.area_number = {area.name: i for i, area in enumerate(geo.areas, start=1)}
		self.unit_number = {unit.name: i for i, unit in enumerate(geo.units, start=1)}
		# filled while building
		self.l1 = []
		self.l2_by_area = {}
		self.l3_by_unit = defaultdict(list)
		self.coordinator_user = {}
		self.unit_council = {}
		self.city_council = None
		self.council_members = {}
		self.resources_by_unit = defaultdict(list)
		self.resources_by_area = defaultdict(list)
		self.resource_type = {}

	# -- helpers ------------------------------------------------------------------------------

	def add(self, record: Record) -> Record:
		self.records[record.doctype].append(record)
		return record

	def days_ago(self, rng: random.Random, span: int, bias: float = 1.0) -> D:
		"""A day within `span` days before `as_of`, closer to `as_of` when bias > 1."""
		return self.as_of - datetime.timedelta(days=int(span * rng.random() ** bias))

	def clip(self, day: D) -> D:
		return min(day, self.as_of)

	def stamp(self, rng: random.Random, day: D) -> DT:
		"""A creation time on `day` in office hours (on `as_of` itself: just after midnight)."""
		if day >= self.as_of:
			return at(self.as_of, -475)
		return at(day, rng.randint(0, 540))

	def user(self, email: str, gender: str, label: str, roles: tuple = ()) -> DemoUser:
		family, given, _fk, _gk = self.people.make(gender, "staff")
		user = DemoUser(email=email, first_name=family, last_name=given, label=label, roles=roles)
		self.users.append(user)
		return user

	# -- build --------------------------------------------------------------------------------

	def build(self) -> Dataset:
		self.build_staff()
		self.build_councils()
		self.build_training_sessions()
		self.build_resources()
		self.build_residents_and_needs()
		self.build_individual_plans()
		self.build_issues()
		self.build_meetings()
		self.build_community_plans()
		return Dataset(
			users=self.users,
			records=self.records,
			center_staff=dict(self.center_staff),
			area_centers=self.area_centers,
		)

	def build_staff(self):
		rng = make_rng(self.seed, "staff")
		self.user(MANAGER_EMAIL, "Female", "Chiiki Care Manager", roles=("Chiiki Care Manager",))
		for i in range(1, 3):
			user = self.user(
				f"l1.{i:02d}@{DEMO_DOMAIN}", rng.choice(("Female", "Male")), "Layer 1 Coordinator"
			)
			self.l1.append(self.coordinator(rng, user, "Layer 1", "枚方市社会福祉協議会", [self.geo.city]))
		per_area = l3_per_area(self.n_residents, len(self.geo.areas))
		for area in self.geo.areas:
			n = self.area_number[area.name]
			center = area.center
			if not center:
				center = f"{area.name} 高齢者サポートセンター"
				self.area_centers[area.name] = center
				self.add(
					Record(
						"Support Center",
						center,
						{
							"center_name": center,
							"operator": "社会福祉法人（例示）",
							"phone": fake_phone(rng),
							"address": f"{self.geo.city}（{area.name}内）",
						},
						created=self.stamp(rng, self.as_of - datetime.timedelta(days=900)),
					)
				)
			staff = self.user(f"center.area{n:02d}@{DEMO_DOMAIN}", "Female", "Support Center Staff")
			self.center_staff[center].append(staff.email)
			user = self.user(
				f"l2.area{n:02d}@{DEMO_DOMAIN}", rng.choice(("Female", "Male")), "Layer 2 Coordinator"
			)
			self.l2_by_area[area.name] = self.coordinator(rng, user, "Layer 2", center, [area.name])
			units = [unit.name for unit in area.units]
			assigned = [[] for _ in range(per_area)]
			for i, unit in enumerate(units):
				assigned[i % per_area].append(unit)
			for j in range(per_area):
				if not assigned[j]:
					assigned[j].append(units[j % len(units)])
				if rng.random() < 0.15 and len(units) > 1:
					extra = rng.choice([u for u in units if u not in assigned[j]] or units)
					if extra not in assigned[j]:
						assigned[j].append(extra)
			for j, covered in enumerate(assigned, start=1):
				user = self.user(
					f"l3.area{n:02d}.{j:02d}@{DEMO_DOMAIN}",
					rng.choice(("Female", "Female", "Male")),
					"Layer 3 Coordinator",
				)
				organisation = f"{rng.choice(CARE_FACILITIES)}{rng.choice(FACILITY_NICKNAMES)}"
				key = self.coordinator(rng, user, "Layer 3", organisation, covered)
				for unit in covered:
					self.l3_by_unit[unit].append(key)

	def coordinator(self, rng, user: DemoUser, layer: str, organisation: str, districts: list[str]) -> Ref:
		appointed = D(rng.randint(2017, 2024), 4, 1)
		if appointed > self.as_of:
			appointed = self.as_of - datetime.timedelta(days=30)
		trainings = []
		for i, (name, remarks) in enumerate(TRAININGS[layer]):
			day = self.clip(appointed + datetime.timedelta(days=60 + 200 * i + rng.randint(0, 120)))
			trainings.append(
				{
					"training_name": name,
					"training_date": day,
					"completed": int(day < self.as_of - datetime.timedelta(days=7) or rng.random() < 0.5),
					"remarks": remarks,
				}
			)
		key = f"{layer}:{user.email}"
		self.add(
			Record(
				"Coordinator",
				key,
				{
					"coordinator_name": f"{user.first_name}\u3000{user.last_name}",
					"user": user.email,
					"layer": layer,
					"organisation": organisation,
					"is_active": 1,
					"appointed_from": appointed,
					"email": user.email,
					"phone": fake_phone(rng),
				},
				children={"districts": [{"district": d} for d in districts], "trainings": trainings},
				created=self.stamp(rng, appointed),
			)
		)
		ref = Ref("Coordinator", key)
		self.coordinator_user[ref] = user.email
		return ref

	def build_training_sessions(self):
		"""伝達研修: a completed session for the Layer 3 coordinators of the first school districts,
		given by a Layer 1 coordinator (nearly all of them completed it), and one planned for the
		Layer 2 coordinators."""
		rng = make_rng(self.seed, "training sessions")
		trainer = self.l1[0]
		trainer_name = next(
			r.fields["coordinator_name"] for r in self.records["Coordinator"] if r.key == trainer.key
		)
		layer_3 = [ref for unit in list(self.l3_by_unit)[:4] for ref in self.l3_by_unit[unit]]
		layer_3 = list(dict.fromkeys(layer_3))
		sessions = [
			("第3層生活支援コーディネーター伝達研修", "Layer 3", 60, "Completed", layer_3),
			(
				"第2層生活支援コーディネーター伝達研修（地域カルテの読み方）",
				"Layer 2",
				-30,
				"Planned",
				list(self.l2_by_area.values()),
			),
		]
		for n, (title, layer, days_ago, status, attendees) in enumerate(sessions):
			day = self.as_of - datetime.timedelta(days=days_ago)
			rows = []
			for ref in attendees:
				attended = status == "Completed" and rng.random() > 0.1
				rows.append(
					{
						"coordinator": ref,
						"attended": int(attended or status == "Planned"),
						"completed": int(attended),
					}
				)
			if status == "Completed" and rows and not any(row["completed"] for row in rows):
				rows[0].update(attended=1, completed=1)  # a completed session was completed by someone
			self.add(
				Record(
					"Training Session",
					f"TS:{n}",
					{
						"title": title,
						"session_date": day,
						"status": status,
						"layer_trained": layer,
						"trainer": trainer_name,
						"venue": f"{self.geo.city}総合福祉会館",
						"curriculum": "<p>地域包括ケアと生活支援体制整備事業、三層の役割、ニーズの見える化と協議体への問題提起。</p>",
					},
					children={"attendees": rows},
					owner=self.coordinator_user[trainer],
					created=self.stamp(rng, min(day, self.as_of) - datetime.timedelta(days=20)),
				)
			)

	def build_councils(self):
		rng = make_rng(self.seed, "councils")
		city_members = []
		for i, (org, role) in enumerate(CITY_COUNCIL_MEMBER_ORGS):
			gender = rng.choice(("Female", "Male"))
			row = {"member_name": self._person_name(gender), "organisation": org, "role_in_council": role}
			if i < 2:
				user = self.user(f"council.city{i + 1:02d}@{DEMO_DOMAIN}", gender, "Council Member")
				row["user"] = user.email
				row["member_name"] = f"{user.first_name}\u3000{user.last_name}"
			city_members.append(row)
		name = f"{self.geo.city} 第1層協議体"
		self.city_council = Ref("Council", name)
		self.council_members[self.city_council] = city_members
		established = self.clip(D(2016, 10, 1))
		self.add(
			Record(
				"Council",
				name,
				{
					"council_name": name,
					"layer": "Layer 1",
					"district": self.geo.city,
					"local_name": "第1層協議体",
					"status": "Active",
					"secretariat": self.l1[0],
					"established_on": established,
					"description": (
						"<p>市全域を単位とする第1層協議体。元気づくり・地域づくり会議（第2層協議体）を支え、"
						"地域資源の見える化と担い手の養成、関係機関のネットワークづくりを進める。</p>"
					),
				},
				children={"members": city_members},
				owner=self.coordinator_user[self.l1[0]],
				created=self.stamp(rng, established),
			)
		)
		for unit in self.geo.units:
			n = self.unit_number[unit.name]
			name = f"{unit.name} 元気づくり・地域づくり会議"
			members = []
			orgs = list(COUNCIL_MEMBER_ORGS[:3]) + rng.sample(COUNCIL_MEMBER_ORGS[3:], rng.randint(2, 5))
			for org, role in orgs:
				gender = rng.choice(("Female", "Male"))
				row = {"member_name": self._person_name(gender), "organisation": org, "role_in_council": role}
				# The chair of the first council of each area has a portal user (some members, not all).
				if role == "Chair" and unit is self.area_of[unit.area].units[0]:
					user = self.user(f"council.sd{n:02d}@{DEMO_DOMAIN}", gender, "Council Member")
					row["user"] = user.email
					row["member_name"] = f"{user.first_name}\u3000{user.last_name}"
				members.append(row)
			l2 = self.l2_by_area[unit.area]
			members.append(
				{
					"member_name": self._coordinator_name(l2),
					"organisation": "第2層生活支援コーディネーター",
					"role_in_council": "Secretariat",
				}
			)
			established = self.clip(D(rng.randint(2017, 2021), rng.randint(4, 12), 1))
			ref = Ref("Council", name)
			self.unit_council[unit.name] = ref
			self.council_members[ref] = members
			self.add(
				Record(
					"Council",
					name,
					{
						"council_name": name,
						"layer": "Layer 2",
						"district": unit.name,
						"local_name": rng.choice(COUNCIL_LOCAL_NAMES).format(base=_base_name(unit.name)),
						"status": "Active",
						"secretariat": l2,
						"established_on": established,
						"description": (
							f"<p>{unit.name}の第2層協議体（元気づくり・地域づくり会議）。地域の情報を集め、"
							"地域課題の解決に向けた取り組みを話し合う。</p>"
						),
					},
					children={"members": members},
					owner=self.coordinator_user[l2],
					created=self.stamp(rng, established),
				)
			)

	def _person_name(self, gender: str) -> str:
		family, given, _fk, _gk = self.people.make(gender, "staff")
		return full_name(family, given)

	def _coordinator_name(self, ref: Ref) -> str:
		for record in self.records["Coordinator"]:
			if record.key == ref.key:
				return record.fields["coordinator_name"]
		return ""

	def build_resources(self):
		rng = make_rng(self.seed, "resources")
		checks = make_rng(self.seed, "resource checks")  # when each resource's details were confirmed
		types = {name: spec[0] for name, spec in RESOURCE_TYPES.items()}
		for unit in self.geo.units:
			area = self.area_of[unit.area]
			count = rng.randint(3, 6)
			names_here = set()
			chosen = ["Gathering Place or Salon", "Care Prevention Class"] + [
				weighted_choice(rng, types) for _ in range(count - 2)
			]
			for k, resource_type in enumerate(chosen, start=1):
				_share, domain, formality, cats, names, providers, costs, capacity = RESOURCE_TYPES[
					resource_type
				]
				venue = f"{_base_name(unit.name)}{rng.choice(VENUES)}"
				name = rng.choice(names).format(
					unit=unit.name, nick=rng.choice(FACILITY_NICKNAMES), venue=venue
				)
				if name in names_here:
					name = f"{name}（{k}）"
				names_here.add(name)
				lat = unit.lat + rng.uniform(-0.004, 0.004)
				lng = unit.lng + rng.uniform(-0.004, 0.004)
				schedule = rng.choice(RESOURCE_SCHEDULES).format(
					w=rng.choice(WEEKDAYS), n=rng.randint(1, 2), m=rng.randint(3, 4)
				)
				others = [u.name for u in area.units if u.name != unit.name]
				additional = (
					[{"district": d} for d in rng.sample(others, min(len(others), 1))]
					if rng.random() < 0.2
					else []
				)
				created = self.days_ago(rng, 1200)
				# confirmed within the last 18 months (a third of them are due for a check again)
				checked = self.as_of - datetime.timedelta(
					days=checks.randint(0, min((self.as_of - created).days, 540))
				)
				owner = self.coordinator_user[self.l2_by_area[unit.area]]
				key = f"RSC:{unit.name}:{k}"
				record = self.add(
					Record(
						"Community Resource",
						key,
						{
							"resource_name": name,
							"resource_type": resource_type,
							"domain": domain,
							"provider": _provider(rng.choice(providers), unit.name),
							"formality": formality,
							"district": unit.name,
							"status": "Active" if rng.random() < 0.92 else "Inactive",
							"published": int(rng.random() < 0.6),
							"schedule": schedule,
							"cost": rng.choice(costs),
							"capacity": rng.randint(*capacity) if capacity[1] else 0,
							"contact_phone": fake_phone(rng),
							"address": f"{self.geo.city} {venue}",
							"location": geojson_point(lat, lng),
							"description": (
								f"<p>{name}。{schedule}。{venue}で活動しています。"
								"参加・利用の相談は高齢者サポートセンターまたは生活支援コーディネーターへ。</p>"
							),
							"last_verified_on": checked,
							"last_verified_by": owner,
							"verification_interval_months": rules.DEFAULT_VERIFICATION_INTERVAL_MONTHS,
							"verification_due_on": rules.verification_due_on(
								checked, created, rules.DEFAULT_VERIFICATION_INTERVAL_MONTHS
							),
						},
						children={
							"additional_districts": additional,
							"need_categories": [{"need_category": c} for c in cats if c in self.categories],
						},
						owner=owner,
						created=self.stamp(rng, created),
					)
				)
				ref = Ref("Community Resource", key)
				self.resource_type[ref] = resource_type
				if record.fields["status"] == "Active":
					self.resources_by_unit[unit.name].append(ref)
					self.resources_by_area[unit.area].append(ref)

	# -- residents and needs ------------------------------------------------------------------

	def build_residents_and_needs(self):
		rng = make_rng(self.seed, "residents")
		need_rng = make_rng(self.seed, "needs")
		names = _People(make_rng(self.seed, "resident-names"), unique=False)
		units = self.geo.units
		counts = apportion(self.n_residents, [max(unit.weight, 0.0) for unit in units])
		placement = [unit for unit, count in zip(units, counts, strict=True) for _ in range(count)]
		rng.shuffle(placement)
		# The showcase resident (DESIGN.md §8, Mr. T) lives where l3.area01.01 works.
		first_unit = self.geo.areas[0].units[0]
		if first_unit in placement:
			i = placement.index(first_unit)
			placement[0], placement[i] = placement[i], placement[0]
		hot = self.hot_categories()
		self.needs_of = defaultdict(list)
		self.resident_info = {}
		seen_identity = set()
		for index, unit in enumerate(placement):
			showcase = index == 0
			key = f"RES:{index + 1}"
			gender = "Female" if rng.random() < 0.62 else "Male"
			birth = self.birth_date(rng)
			if showcase:
				gender, birth = "Male", D(self.as_of.year - 85, 6, 12)
			generation = "old" if birth.year < 1940 else "young"
			while True:
				family, given, family_kana, given_kana = names.make(gender, generation)
				if showcase:
					family, given, family_kana, given_kana = "田中", "徹", "たなか", "とおる"
				kana = full_kana(family_kana, given_kana)
				if (kana, birth) not in seen_identity:
					break
				birth = birth - datetime.timedelta(days=rng.randint(1, 300))
			seen_identity.add((kana, birth))
			age = rules.age_on(birth, self.as_of)
			band = "young" if age < 75 else "middle" if age < 85 else "old"
			household = weighted_choice(rng, HOUSEHOLDS)
			care_level = weighted_choice(rng, CARE_LEVELS_BY_AGE[band])
			if showcase:
				household, care_level = "Living Alone", "Support Level 1"
			dementia = int(rng.random() < {"young": 0.05, "middle": 0.14, "old": 0.28}[band])
			first_contact = self.days_ago(rng, 900, bias=1.3)
			if showcase:
				first_contact = self.as_of
			closed = (
				not showcase
				and rng.random() < 0.05
				and first_contact < self.as_of - datetime.timedelta(days=120)
			)
			coordinator = self.l3_by_unit[unit.name][0] if showcase else self.l3_for(rng, unit.name)
			consent = showcase or rng.random() < 0.88
			scope = weighted_choice(rng, CONSENT_SCOPE_WEIGHTS) if consent else None
			fields = {
				"full_name": full_name(family, given),
				"full_name_kana": kana,
				"gender": gender,
				"birth_date": birth,
				"birth_date_wareki": rules.format_wareki(birth) if hasattr(rules, "format_wareki") else None,
				"district": unit.name,
				"primary_coordinator": coordinator,
				"status": "Closed" if closed else "Active",
				"address": f"{self.geo.city}（{unit.name}内）{rng.randint(1, 5)}丁目{rng.randint(1, 30)}-{rng.randint(1, 20)}",
				"phone": fake_phone(rng) if rng.random() < 0.8 else None,
				"household": household,
				"care_level": care_level,
				"dementia": dementia,
				"consent_given": int(consent),
				"consent_date": first_contact if consent else None,
				"consent_scope": scope,
				"consent_note": rng.choice(CONSENT_SCOPES[scope]) if consent else None,
				"notes": self.resident_note(rng, household, care_level, closed),
			}
			if rng.random() < 0.85:
				fields.update(self.emergency_contact(rng, family))
			owner = self.coordinator_user[coordinator]
			created = self.stamp(rng, first_contact)
			self.add(Record("Resident", key, fields, owner=owner, created=created))
			ref = Ref("Resident", key)
			self.resident_info[ref] = {
				"unit": unit.name,
				"coordinator": coordinator,
				"household": household,
				"first_contact": first_contact,
				"closed": closed,
				"family": family,
				"full_name": fields["full_name"],
			}
			self.build_needs_for(need_rng, ref, unit, hot, showcase)

	def emergency_contact(self, rng, family: str) -> dict:
		relation = rng.choice(EMERGENCY_RELATIONS)
		female = relation in ("長女", "次女", "妹", "姪")
		contact_family = family if relation in ("長男", "次男", "弟") else rng.choice(FAMILY_NAMES)[0]
		given = rng.choice(GIVEN_NAMES[("Female" if female else "Male", "staff")])[0]
		return {
			"emergency_contact_name": full_name(contact_family, given),
			"emergency_contact_relation": relation,
			"emergency_contact_phone": fake_phone(rng, mobile=True),
		}

	def hot_categories(self) -> dict:
		"""Each unit has two local problems that come up more often and more recently (for the gap view)."""
		rng = make_rng(self.seed, "hot")
		pool = [c for c in self.categories if c != GENERIC_CATEGORY] or self.categories
		return {unit.name: set(rng.sample(pool, min(2, len(pool)))) for unit in self.geo.units}

	def birth_date(self, rng: random.Random) -> D:
		# Most people with needs are 75 to 90: a triangular draw over 1925..1960, peaking in 1941.
		year = round(rng.triangular(1925, 1960, 1941))
		return D(year, rng.randint(1, 12), rng.randint(1, 28))

	def l3_for(self, rng: random.Random, unit: str) -> Ref:
		return rng.choice(self.l3_by_unit[unit])

	def resident_note(self, rng, household, care_level, closed) -> str:
		notes = []
		if care_level.startswith("Care Level"):
			notes.append(
				rng.choice(("デイサービス週2回利用。", "訪問介護週1回利用。", "ケアマネジャーと月1回面談。"))
			)
		if household == "Living Alone":
			notes.append(
				rng.choice(
					("子どもは市外在住、月1回程度訪問。", "身寄りは遠方の妹のみ。", "近所付き合いは少ない。")
				)
			)
		if closed:
			notes.append(rng.choice(("施設入所のため支援終了。", "市外の家族宅へ転居のため支援終了。")))
		return "".join(notes) or None

	def category_weights(self, unit: str, hot: dict) -> dict:
		weights = {}
		for category in self.categories:
			weight = CATEGORY_WEIGHTS.get(category, 3)
			if category in hot[unit]:
				weight *= 3.5
			weights[category] = weight
		return weights

	def build_needs_for(self, rng, resident: Ref, unit: Unit, hot: dict, showcase: bool):
		info = self.resident_info[resident]
		count = 1 if showcase else weighted_choice(rng, {1: 55, 2: 33, 3: 12})
		weights = self.category_weights(unit.name, hot)
		used = set()
		for i in range(count):
			options = {c: w for c, w in weights.items() if c not in used}
			if not options:
				break
			category = "買い物" if showcase and "買い物" in self.categories else weighted_choice(rng, options)
			used.add(category)
			if i == 0:
				recorded = info["first_contact"]
			else:
				span = (self.as_of - info["first_contact"]).days
				recorded = info["first_contact"] + datetime.timedelta(days=rng.randint(0, max(span, 0)))
			if category in hot[unit.name] and rng.random() < 0.3 and not info["closed"]:
				recorded = max(recorded, self.as_of - datetime.timedelta(days=rng.randint(0, 120)))
			recorded = self.clip(recorded)
			categories = [category]
			related = [
				c for c in RELATED_CATEGORIES.get(category, ()) if c in self.categories and c != category
			]
			if related and rng.random() < 0.35:
				categories.append(rng.choice(related))
			urgency = "Immediate" if rng.random() < 0.15 or showcase else "Normal"
			status = self.need_status(rng, recorded, info["closed"])
			if showcase:
				status = "Supporting"
			fields = {
				"resident": resident,
				"resident_name": info["full_name"],
				"district": unit.name,
				"recorded_on": recorded,
				"recorded_by": info["coordinator"],
				"urgency": urgency,
				"status": status,
				"primary_category": category,
				**self.lenses(rng, category, urgency, info["household"], showcase),
				"support_plan": None,
				"community_issue": None,
			}
			key = f"NEED:{resident.key}:{i + 1}"
			created = self.stamp(rng, recorded)
			self.add(
				Record(
					"Need",
					key,
					fields,
					children={"categories": [{"need_category": c} for c in categories]},
					owner=self.coordinator_user[info["coordinator"]],
					created=created,
				)
			)
			self.needs_of[resident].append(Ref("Need", key))

	def need_status(self, rng, recorded: D, closed: bool) -> str:
		age = (self.as_of - recorded).days
		if closed:
			return weighted_choice(rng, {"Resolved": 70, "Withdrawn": 30})
		if age < 30:
			return weighted_choice(rng, {"New": 45, "Under Review": 35, "Supporting": 20})
		if age < 180:
			return weighted_choice(
				rng, {"New": 5, "Under Review": 15, "Supporting": 55, "Resolved": 20, "Withdrawn": 5}
			)
		return weighted_choice(rng, {"Under Review": 3, "Supporting": 37, "Resolved": 50, "Withdrawn": 10})

	def lenses(self, rng, category: str, urgency: str, household: str, showcase: bool) -> dict:
		if showcase:
			return {
				"unmet_troubles": "膝が悪くなり、買った物を持って帰れなくなった。近くに頼める人もいない。",
				"urgent_needs": "冷蔵庫が空で、今日の食料がない。今日の買い物は訪問した第3層コーディネーターが手配した。",
				"connection_and_purpose": "以前通っていた囲碁クラブをやめてから、打ち合う相手がいないのが寂しい。",
				"desired_life": "この家に住み続けたい。",
			}
		text_category = category if category in UNMET_TROUBLES else GENERIC_CATEGORY
		hobby = rng.choice(HOBBIES)
		connection = rng.choice(CONNECTION_TEMPLATES).format(
			hobby=hobby,
			reason=rng.choice(STOP_REASONS),
			place=rng.choice(PLACES),
			neighbour=rng.choice(NEIGHBOURS),
			work=rng.choice(FORMER_WORK),
		)
		desired = (
			DESIRED_LIFE_COUPLE
			if household == "Elderly Household" and rng.random() < 0.4
			else rng.choice(DESIRED_LIFE).format(hobby=hobby)
		)
		urgent = rng.choice(URGENT_NEEDS[text_category]) if urgency == "Immediate" else rng.choice(NOT_URGENT)
		return {
			"unmet_troubles": rng.choice(UNMET_TROUBLES[text_category]),
			"urgent_needs": urgent,
			"connection_and_purpose": connection,
			"desired_life": desired,
		}

	# -- individual plans ---------------------------------------------------------------------

	def need(self, ref: Ref) -> Record:
		return self._need_index[ref]

	def build_individual_plans(self):
		rng = make_rng(self.seed, "plans")
		self._need_index = {Ref("Need", r.key): r for r in self.records["Need"]}
		self.plan_count = 0
		for resident, needs in self.needs_of.items():
			info = self.resident_info[resident]
			groups = defaultdict(list)
			for ref in needs:
				groups[self.need(ref).fields["status"]].append(ref)
			if groups.get("Resolved"):
				self.individual_plan(rng, resident, info, groups["Resolved"], "Completed")
			if groups.get("Supporting"):
				self.individual_plan(rng, resident, info, groups["Supporting"], "Active")
			if groups.get("Under Review") and rng.random() < 0.4:
				status = rng.choice(("Draft", "Pending Confirmation"))
				self.individual_plan(rng, resident, info, groups["Under Review"], status)
			old_withdrawn = [
				ref
				for ref in groups.get("Withdrawn", [])
				if (self.as_of - self.need(ref).fields["recorded_on"]).days > 60
			]
			if old_withdrawn and rng.random() < 0.2:
				self.individual_plan(rng, resident, info, old_withdrawn, "Cancelled")

	def individual_plan(self, rng, resident: Ref, info: dict, needs: list[Ref], status: str):
		self.plan_count += 1
		key = f"SP:I:{self.plan_count}"
		need_records = [self.need(ref) for ref in needs]
		categories = [r.fields["primary_category"] for r in need_records]
		latest = max(r.fields["recorded_on"] for r in need_records)
		start = self.clip(latest + datetime.timedelta(days=rng.randint(0, 14)))
		showcase = info.get("family") == "田中" and resident.key == "RES:1"
		interval = 4 if showcase else review_interval(rng.choice((2, 4, 4, 4, 8, 12)), start, self.as_of)
		monitoring, end = self.monitoring(
			rng, start, interval, status, self.coordinator_user[info["coordinator"]]
		)
		if status == "Completed" and not monitoring:
			status = "Active"
		title = f"個別支援：{categories[0]}" + (f"ほか{len(categories) - 1}件" if len(categories) > 1 else "")
		actions = self.plan_actions(rng, categories, info["unit"], start, status, showcase)
		goal_category = categories[0] if categories[0] in UNMET_TROUBLES else GENERIC_CATEGORY
		personal_goal = (
			"住み慣れた家で暮らし続けながら、また囲碁を打てるようになる。"
			if showcase
			else _personal_goal(goal_category)
		)
		fields = {
			"title": title,
			"scope": "Individual",
			"resident": resident,
			"resident_name": info["full_name"],
			"community_issue": None,
			"district": info["unit"],
			"council": None,
			"coordinator": info["coordinator"],
			"status": status,
			"start_date": start,
			"end_date": end,
			"review_interval_weeks": interval,
			"next_review_date": rules.plan_next_review_date(
				status, start, interval, [(m["monitoring_date"], m["next_review_date"]) for m in monitoring]
			),
			"personal_goal": personal_goal,
		}
		last_day = max([start] + [m["monitoring_date"] for m in monitoring])
		self.add(
			Record(
				"Support Plan",
				key,
				fields,
				children={
					"needs": [{"need": ref} for ref in needs],
					"actions": actions,
					"monitoring": monitoring,
				},
				owner=self.coordinator_user[info["coordinator"]],
				created=self.stamp(rng, start),
				modified=self.stamp(rng, last_day),
			)
		)
		plan = Ref("Support Plan", key)
		for record in need_records:
			record.fields["support_plan"] = plan

	def monitoring(self, rng, start: D, interval: int, status: str, user: str) -> tuple[list[dict], D | None]:
		"""Monitoring entries between `start` and `as_of`, and the end date of a finished plan."""
		if status in ("Draft", "Pending Confirmation"):
			return [], None
		entries = []
		step = datetime.timedelta(weeks=interval)
		day = start
		planned_reviews = rng.randint(1, 4) if status in ("Completed", "Cancelled") else 99
		while len(entries) < planned_reviews:
			day = day + step + datetime.timedelta(days=rng.randint(-3, 5))
			if day <= start:
				day = start + datetime.timedelta(days=1)
			if day > self.as_of:
				break
			entries.append(day)
		if status == "Active" and entries and rng.random() < 0.2:
			entries.pop()  # the latest review was missed: the plan shows as overdue
		if status in ("Completed", "Cancelled") and not entries:
			last = self.clip(start + datetime.timedelta(days=rng.randint(7, 7 * interval)))
			entries = [last] if last >= start else []
		rows = []
		for i, day in enumerate(entries):
			final = status in ("Completed", "Cancelled") and i == len(entries) - 1
			if final:
				outcome = "Goal Achieved" if status == "Completed" and rng.random() < 0.75 else "End Support"
				observation = rng.choice(
					MONITORING_ACHIEVED if outcome == "Goal Achieved" else MONITORING_ENDED
				)
				next_review = None
			elif rng.random() < 0.15:
				outcome = "Revise Plan"
				observation = rng.choice(MONITORING_REVISE)
				next_review = day + datetime.timedelta(weeks=2)
			else:
				outcome = "Continue"
				observation = rng.choice(MONITORING_CONTINUE)
				next_review = day + step
			rows.append(
				{
					"monitoring_date": day,
					"observation": observation,
					"outcome": outcome,
					"next_review_date": next_review,
					"recorded_by": user,
				}
			)
		end = entries[-1] if status in ("Completed", "Cancelled") and entries else None
		return rows, end

	def plan_actions(
		self, rng, categories: list[str], unit: str, start: D, status: str, showcase=False
	) -> list[dict]:
		primary = categories[0]
		if showcase:
			kinds = ["Self-pay or Informal Service", "Social Participation", "Watching Over"]
		else:
			kinds = ["Watching Over" if rng.random() < 0.5 else "Social Participation"]
			kinds.append("Self-pay or Informal Service" if rng.random() < 0.7 else "Formal Service")
			for kind in rng.sample(list(ACTIONS), rng.randint(0, 2)):
				if kind not in kinds:
					kinds.append(kind)
		rows = []
		for kind in kinds:
			options = ACTIONS[kind]
			if kind == "Self-pay or Informal Service" and primary in SELF_PAY_BY_CATEGORY:
				description, responsible = options[SELF_PAY_BY_CATEGORY[primary]]
			elif kind == "Formal Service" and primary in FORMAL_BY_CATEGORY:
				description, responsible = options[FORMAL_BY_CATEGORY[primary]]
			else:
				description, responsible = rng.choice(options)
			if showcase:
				description = {
					"Self-pay or Informal Service": "買い物支援ボランティアによる週1回の買い物同行",
					"Social Participation": "校区の週1回のふれあいサロンへの参加（囲碁の仲間づくり）",
					"Watching Over": "隣家の方による朝の声かけ（雨戸の開閉の確認）",
				}[kind]
			due = start + datetime.timedelta(weeks=rng.randint(1, 6))
			if status in ("Completed",):
				action_status = "Done" if rng.random() < 0.9 else "Cancelled"
			elif status == "Cancelled":
				action_status = "Cancelled"
			elif status == "Active":
				action_status = weighted_choice(rng, {"Done": 30, "In Progress": 50, "Planned": 20})
			else:
				action_status = "Planned"
			rows.append(
				{
					"description": description,
					"support_kind": kind,
					"responsible": responsible,
					"due_date": due,
					"status": action_status,
					"community_resource": self.resource_for(rng, kind, primary, unit),
				}
			)
		return rows

	def resource_for(self, rng, kind: str, category: str, unit: str) -> Ref | None:
		if kind == "Self-pay or Informal Service":
			wanted = (SELF_PAY_RESOURCE_BY_CATEGORY.get(category, "Self-pay Service"),)
		else:
			wanted = RESOURCE_KIND_TYPES.get(kind, ())
		if not wanted:
			return None
		area = self.unit_of[unit].area
		for pool in (self.resources_by_unit[unit], self.resources_by_area[area]):
			matches = [ref for ref in pool if self.resource_type[ref] in wanted]
			if matches:
				return rng.choice(matches)
		return None

	# -- community issues, meetings and community plans ---------------------------------------

	def build_issues(self):
		rng = make_rng(self.seed, "issues")
		self.issues = []
		open_needs = defaultdict(list)  # (unit, category) -> need records
		horizon = self.as_of - datetime.timedelta(days=365)
		for record in self.records["Need"]:
			f = record.fields
			if f["status"] in LIFTABLE_STATUSES and f["recorded_on"] >= horizon:
				open_needs[(f["district"], f["primary_category"])].append(record)
		issue_number = 0
		per_unit = 2 if self.n_residents < 10_000 else 3
		for unit in self.geo.units:
			ranked = sorted(
				((category, needs) for (u, category), needs in open_needs.items() if u == unit.name),
				key=lambda item: (
					-len(item[1]),
					self.categories.index(item[0]) if item[0] in self.categories else 99,
				),
			)
			for category, needs in ranked[:per_unit]:
				if len(needs) < 3:
					continue
				issue_number += 1
				self.issue(
					rng, issue_number, unit.name, category, needs, self.unit_council[unit.name], unit.area
				)
		for area in self.geo.areas:
			if rng.random() >= 0.35:
				continue
			unit_names = {u.name for u in area.units}
			pooled = defaultdict(list)
			for (u, category), needs in open_needs.items():
				if u in unit_names:
					pooled[category].extend(r for r in needs if not r.fields["community_issue"])
			if not pooled:
				continue
			category, needs = max(pooled.items(), key=lambda item: (len(item[1]), item[0]))
			if len(needs) >= 3:
				issue_number += 1
				self.issue(rng, issue_number, area.name, category, needs, self.city_council, area.name)

	def issue(self, rng, number: int, district: str, category: str, needs: list, council: Ref, area: str):
		"""An issue raised on a day in the last ten months, from needs recorded up to that day."""
		free = sorted(
			(r for r in needs if not r.fields["community_issue"]),
			key=lambda r: (r.fields["recorded_on"], r.key),
			reverse=True,
		)
		if len(free) < 3:
			return
		# Raised soon after the k-th of its needs (k >= 3) was recorded, so issues differ in age.
		by_date = sorted(free, key=lambda r: (r.fields["recorded_on"], r.key))
		k = rng.randint(3, min(len(by_date), 12))
		raised = self.clip(by_date[k - 1].fields["recorded_on"] + datetime.timedelta(days=rng.randint(0, 20)))
		chosen = [r for r in free if r.fields["recorded_on"] <= raised][: rng.randint(3, 12)]
		needs = chosen
		age = (self.as_of - raised).days
		if age < 21:
			status = weighted_choice(rng, {"Raised": 70, "In Discussion": 30})
		elif age < 90:
			status = weighted_choice(rng, {"In Discussion": 50, "In Progress": 50})
		elif age < 180:
			status = weighted_choice(
				rng, {"In Discussion": 15, "In Progress": 60, "Resolved": 15, "On Hold": 10}
			)
		else:
			status = weighted_choice(rng, {"In Progress": 35, "Resolved": 50, "On Hold": 15})
		key = f"CI:{number}"
		ref = Ref("Community Issue", key)
		title = ISSUE_TITLES.get(category, ISSUE_TITLES[GENERIC_CATEGORY]).format(unit=district)
		l2 = self.l2_by_area[area]
		self.add(
			Record(
				"Community Issue",
				key,
				{
					"title": title,
					"district": district,
					"need_category": category,
					"status": status,
					"council": council,
					"raised_on": raised,
					"description": (
						f"<p>直近1年間に{district}で「{category}」に関する生活支援ニーズが{len(needs)}件"
						"記録され、個別の支援だけでは解決が難しい共通の課題として協議体に提起する。</p>"
						"<p>（個人が特定される情報は記載しない）</p>"
					),
					"need_count": len(needs),
				},
				children={
					"needs": [
						{"need": Ref("Need", r.key), "need_category": r.fields["primary_category"]}
						for r in needs
					]
				},
				owner=self.coordinator_user[l2],
				created=self.stamp(rng, raised),
			)
		)
		self.issues.append((ref, district, category, council, raised, status, area))
		for record in needs:
			record.fields["community_issue"] = ref
			if record.fields["status"] in ("New", "Under Review") and not record.fields["support_plan"]:
				record.fields["status"] = "Lifted to Community Issue"

	def build_meetings(self):
		rng = make_rng(self.seed, "meetings")
		issues_by_council = defaultdict(list)
		for issue in self.issues:
			issues_by_council[issue[3]].append(issue)
		self.meetings_by_council = defaultdict(list)
		number = 0
		councils = [(self.city_council, None)] + [(ref, unit) for unit, ref in self.unit_council.items()]
		for council, unit in councils:
			if unit is None:
				dates = [self.as_of - datetime.timedelta(days=d) for d in (300, 210, 120, 30)]
				dates = [d - datetime.timedelta(days=rng.randint(0, 10)) for d in dates]
			else:
				dates = [self.days_ago(rng, 330) for _ in range(rng.randint(2, 3))]
			# Every issue past "Raised" was discussed at a meeting after it was raised.
			for issue in issues_by_council[council]:
				gap = (self.as_of - issue[4]).days
				if issue[5] not in UNDISCUSSED and gap >= 7 and not any(issue[4] <= d for d in dates):
					dates.append(issue[4] + datetime.timedelta(days=rng.randint(7, min(gap, 60))))
			area = self.unit_of[unit].area if unit else None
			secretariat = self.l2_by_area[area] if area else self.l1[0]
			for k, day in enumerate(sorted(dates), start=1):
				number += 1
				discussed = [i for i in issues_by_council[council] if i[4] <= day and i[5] not in UNDISCUSSED]
				self.meeting(rng, number, k, council, unit, day, discussed, secretariat)

	def meeting(self, rng, number, k, council: Ref, unit, day: D, discussed, secretariat: Ref):
		members = self.council_members[council]
		local = next(r.fields["local_name"] for r in self.records["Council"] if r.key == council.key)
		district = unit or self.geo.city
		attendees = [
			{
				"attendee_name": m["member_name"],
				"organisation": m["organisation"],
				"attended": int(rng.random() < 0.85),
				"user": m.get("user"),
			}
			for m in members
		]
		secretariat_user = self.coordinator_user[secretariat]
		issue_rows = []
		for ref, _district, category, _council, _raised, _status, _area in discussed:
			issue_rows.append(
				{
					"community_issue": ref,
					"discussion": f"「{category}」に関するニーズの状況を第2層コーディネーターが報告し、地域の資源と担い手について意見を交換した。",
					"decision": rng.choice(
						(
							"関係団体に協力を依頼し、次回までに具体案をまとめる。",
							"地域プランとして取り組むことを確認した。",
							"実態を把握するため、民生委員と福祉委員でアンケートを行う。",
						)
					),
				}
			)
		follow_ups = []
		for j in range(rng.randint(1, 2)):
			due = day + datetime.timedelta(days=rng.randint(14, 60))
			chair = next((m.get("user") for m in members if m.get("user")), None)
			follow_ups.append(
				{
					"description": rng.choice(
						(
							"地域資源マップを更新して次回会議で共有する",
							"商店会に配達日の設定を打診する",
							"サロンの担い手募集のチラシを作成する",
							"見守り協力事業者の一覧を整理する",
							"地域ケア会議で出た課題を整理して報告する",
						)
					),
					"assigned_to": secretariat_user if j == 0 or not chair else chair,
					"due_date": due,
					"status": "Done" if due < self.as_of else "Open",
				}
			)
		titles = "、".join(ISSUE_TITLES.get(i[2], "").format(unit=i[1]) for i in discussed[:3])
		key = f"CM:{number}"
		self.add(
			Record(
				"Council Meeting",
				key,
				{
					"title": f"第{k}回 {local}",
					"council": council,
					"district": district,
					"meeting_date": day,
					"venue": f"{_base_name(district)}{rng.choice(VENUES[:2])}"
					if unit
					else "枚方市役所 会議室",
					"agenda": (
						"<ol><li>前回の振り返り</li><li>地域の情報交換（校区の状況、サロン・見守り活動の報告）</li>"
						f"<li>地域課題について{('：' + titles) if titles else ''}</li><li>今後の取り組み</li></ol>"
					),
					"minutes": (
						f"<p>出席 {sum(a['attended'] for a in attendees)}名。第2層生活支援コーディネーターから"
						"ニーズと地域資源の状況を報告し、参加者で意見交換を行った。</p>"
					),
					"decisions": "<ul>"
					+ "".join(f"<li>{row['decision']}</li>" for row in issue_rows)
					+ "<li>次回の会議日程を調整する。</li></ul>",
					"plan_reports": "<p>進行中の地域プランの状況を報告した。</p>" if issue_rows else None,
				},
				children={"attendees": attendees, "issues_discussed": issue_rows, "follow_ups": follow_ups},
				owner=secretariat_user,
				created=self.stamp(rng, self.clip(day + datetime.timedelta(days=rng.randint(0, 3)))),
			)
		)
		self.meetings_by_council[council].append(day)

	def build_community_plans(self):
		rng = make_rng(self.seed, "community-plans")
		for ref, district, category, council, raised, status, area in self.issues:
			if status in ("In Progress", "Resolved"):
				plan_status = "Completed" if status == "Resolved" else "Active"
			elif status == "In Discussion" and rng.random() < 0.4:
				plan_status = "Draft"
			else:
				continue
			self.plan_count += 1
			key = f"SP:C:{self.plan_count}"
			coordinator = self.l2_by_area[area]
			start = self.clip(raised + datetime.timedelta(days=rng.randint(14, 60)))
			interval = review_interval(rng.choice((8, 12)), start, self.as_of)
			user = self.coordinator_user[coordinator]
			monitoring, end = self.monitoring(rng, start, interval, plan_status, user)
			if plan_status == "Completed" and not monitoring:
				plan_status = "Active"
			for row in monitoring:
				row["observation"] = rng.choice(
					(
						"会議で進捗を報告。担い手が3名増え、活動が定着しつつある。",
						"商店会との調整が続いている。次回会議で再度協議する。",
						"参加者アンケートの結果を共有し、実施内容を見直した。",
						"新たな活動の場が開設され、利用者が増えている。",
					)
				)
			actions = []
			for kind in rng.sample(
				["Self-pay or Informal Service", "Social Participation", "Watching Over", "Formal Service"], 3
			):
				description, responsible = rng.choice(ACTIONS[kind])
				actions.append(
					{
						"description": description,
						"support_kind": kind,
						"responsible": responsible if kind != "Formal Service" else "高齢者サポートセンター",
						"due_date": start + datetime.timedelta(weeks=rng.randint(4, 16)),
						"status": "Done"
						if plan_status == "Completed"
						else (
							"Planned"
							if plan_status == "Draft"
							else weighted_choice(rng, {"Done": 30, "In Progress": 50, "Planned": 20})
						),
						"community_resource": self.resource_for(rng, kind, category, district)
						if district in self.unit_of
						else None,
					}
				)
			self.add(
				Record(
					"Support Plan",
					key,
					{
						"title": f"地域プラン：{category}（{district}）",
						"scope": "Community",
						"resident": None,
						"resident_name": None,
						"community_issue": ref,
						"district": district,
						"council": council,
						"coordinator": coordinator,
						"status": plan_status,
						"start_date": start,
						"end_date": end,
						"review_interval_weeks": interval,
						"next_review_date": rules.plan_next_review_date(
							plan_status,
							start,
							interval,
							[(m["monitoring_date"], m["next_review_date"]) for m in monitoring],
						),
						"goal": COMMUNITY_GOALS.get(category, DEFAULT_COMMUNITY_GOAL),
					},
					children={"needs": [], "actions": actions, "monitoring": monitoring},
					owner=user,
					created=self.stamp(rng, start),
				)
			)


def _base_name(district: str) -> str:
	"""'津田南校区' -> '津田南' (for venue and council names)."""
	for suffix in ("小学校区", "校区"):
		if district.endswith(suffix) and len(district) > len(suffix):
			return district[: -len(suffix)]
	return district


LOCAL_PROVIDERS = ("校区福祉委員会", "自治会", "老人クラブ", "ボランティアグループ")


def _provider(provider: str, unit: str) -> str:
	"""Local groups carry their district's name (津田南校区福祉委員会); others stay generic."""
	if provider in LOCAL_PROVIDERS:
		base = _base_name(unit)
		return f"{base}{provider}"
	return provider


PERSONAL_GOALS = {
	"見守り・安否確認": "ひとりでも安心して暮らせるよう、毎日だれかと顔を合わせる。",
	"外出・移動": "週に一度は外出し、行きたい所へ出かけられるようにする。",
	"買い物": "買い物の心配をせずに、自宅での生活を続ける。",
	"家事": "身の回りのことを手伝ってもらいながら、自分の家で暮らし続ける。",
	"配食": "1日3回きちんと食事をとり、体力を保つ。",
	"居場所・交流": "週に一度は人と話せる場所に出かける。",
	"社会参加・役割": "自分の得意なことで地域の役に立つ。",
	"健康づくり": "体操を続けて、今の体力を保つ。",
	"認知症": "物忘れがあっても、地域の見守りの中で自分らしく暮らす。",
	"住まい": "安全な住まいで、転ばずに暮らす。",
	"金銭管理": "お金の心配をせずに、安心して暮らす。",
	"その他": "困りごとを相談できる相手を持ち、安心して暮らす。",
}


def _personal_goal(category: str) -> str:
	return PERSONAL_GOALS.get(category, PERSONAL_GOALS[GENERIC_CATEGORY])


# ---------------------------------------------------------------------------------------------
# Summaries (for the command's report and the tests)
# ---------------------------------------------------------------------------------------------


def summarize(dataset: Dataset) -> dict:
	counts = {doctype: len(records) for doctype, records in dataset.records.items()}
	counts["User"] = len(dataset.users)
	children = Counter()
	for doctype, records in dataset.records.items():
		for record in records:
			for fieldname, rows in record.children.items():
				children[f"{doctype}.{fieldname}"] += len(rows)
	return {"records": counts, "child_rows": dict(children)}
