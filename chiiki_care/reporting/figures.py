"""The figures behind the reports, the workspace and the email summaries, in plain Python (no Frappe).

The reports (`chiiki_care/chiiki_care/report/*`) read rows as the viewer and hand plain values to
these functions: rolling districts up the District tree, rates per 1,000 residents aged 65+,
the change against the previous period, the gap between open needs and resources, review buckets
and the masking of small counts. Keeping them free of Frappe makes them easy to test
(`tests/unit/test_report_logic.py`) and keeps the reports and the emails computing the same way.

Masking: counts of residents' needs and plans between 1 and 2 could point at a person in a small
district, so they are shown as "<3" (`rules.mask_small_count`). Figures that would let a masked
count be worked out again (its rate, its change against another period) are hidden with it.
Counts of community things (issues, meetings, resources, coordinators) are not about a person and
are shown as they are.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from chiiki_care.domain.rules import (
	CITY,
	DAILY_LIFE_AREA,
	SCHOOL_DISTRICT,
	SMALL_COUNT_THRESHOLD,
	mask_small_count,
)

LEVELS = (CITY, DAILY_LIFE_AREA, SCHOOL_DISTRICT)
LAYERS = ("Layer 1", "Layer 2", "Layer 3")
# A review missed by this many days is escalated (DESIGN.md §8: "missed it by two weeks").
LONG_OVERDUE_DAYS = 14
FISCAL_YEAR_START_MONTH = 4  # Japanese fiscal years run from April to March

GROUP_BY_DISTRICT = "District"
GROUP_BY_CATEGORY = "Category"
GROUP_BY_DISTRICT_AND_CATEGORY = "District and Category"
GROUPINGS = (GROUP_BY_DISTRICT_AND_CATEGORY, GROUP_BY_DISTRICT, GROUP_BY_CATEGORY)


# ---------------------------------------------------------------------------------------------
# Masking, rates and changes
# ---------------------------------------------------------------------------------------------


def is_small(count: int | None) -> bool:
	"""A count that must not be shown as it is (1 or 2)."""
	return bool(count) and 0 < count < SMALL_COUNT_THRESHOLD


def mask(count: int | None) -> int | str:
	return mask_small_count(count or 0)


def rate_per_thousand(count: int, population: int | None) -> float | None:
	"""Count per 1,000 people, to two decimals; None without a population."""
	if not population or population <= 0:
		return None
	return round(count * 1000 / population, 2)


def masked_rate(count: int, population: int | None) -> float | None:
	"""The rate, unless it would reveal a masked count."""
	return None if is_small(count) else rate_per_thousand(count, population)


def change(current: int, previous: int) -> tuple[int, float | None]:
	"""Difference against the previous period and its percentage (None when the previous was 0)."""
	difference = current - previous
	percent = round(difference * 100 / previous, 1) if previous else None
	return difference, percent


def masked_change(current: int, previous: int) -> tuple[int | None, float | None]:
	"""The change, unless either count is masked (the change would give it away)."""
	if is_small(current) or is_small(previous):
		return None, None
	return change(current, previous)


def chart_value(value) -> float:
	"""A value a chart can draw: masked counts ("<3") are drawn as 0, missing values as 0."""
	if isinstance(value, int | float):
		return value
	return 0


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------


def previous_period(from_date: datetime.date, to_date: datetime.date) -> tuple[datetime.date, datetime.date]:
	"""The period of the same length that ends the day before `from_date`."""
	days = (to_date - from_date).days
	previous_to = from_date - datetime.timedelta(days=1)
	return previous_to - datetime.timedelta(days=days), previous_to


@dataclass(frozen=True)
class PeriodSpans:
	"""A period cut into what counts kept per month and per day answer exactly.

	`months`: the whole calendar months inside it, as the first days of the first and the last
	(inclusive; a bound of None: no bound), or None when there is none. `days`: the (start, end)
	ranges of days before and after those months."""

	months: tuple[datetime.date | None, datetime.date | None] | None
	days: tuple[tuple[datetime.date, datetime.date], ...]


def _next_month(day: datetime.date) -> datetime.date:
	return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def period_spans(from_date: datetime.date | None, to_date: datetime.date | None) -> PeriodSpans:
	"""Split [from_date, to_date] (None: no bound) into whole months and the days around them."""
	one_day = datetime.timedelta(days=1)
	if from_date and to_date and from_date > to_date:
		return PeriodSpans(None, ())
	first = None
	if from_date:
		first = from_date if from_date.day == 1 else _next_month(from_date)
	after = None  # the first day after the whole months
	if to_date:
		after = _next_month(to_date) if _next_month(to_date) - one_day == to_date else to_date.replace(day=1)
	if first and after and first >= after:
		return PeriodSpans(None, ((from_date, to_date),))
	days = []
	if from_date and from_date < first:
		days.append((from_date, first - one_day))
	if to_date and after <= to_date:
		days.append((after, to_date))
	last = (after - one_day).replace(day=1) if after else None
	return PeriodSpans((first, last), tuple(days))


def fiscal_year_of(day: datetime.date) -> int:
	"""The Japanese fiscal year (年度) a day falls in, named by the year it starts (April)."""
	return day.year if day.month >= FISCAL_YEAR_START_MONTH else day.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
	start = datetime.date(fiscal_year, FISCAL_YEAR_START_MONTH, 1)
	end = datetime.date(fiscal_year + 1, FISCAL_YEAR_START_MONTH, 1) - datetime.timedelta(days=1)
	return start, end


def month_before(day: datetime.date) -> tuple[datetime.date, datetime.date]:
	"""The calendar month before the month of `day` (first and last day)."""
	last = day.replace(day=1) - datetime.timedelta(days=1)
	return last.replace(day=1), last


def review_bucket(next_review: datetime.date | None, as_of: datetime.date, days_ahead: int) -> str | None:
	"""Where a plan's next review stands on `as_of`: long overdue, overdue, due within the days ahead."""
	if not next_review:
		return None
	if next_review < as_of - datetime.timedelta(days=LONG_OVERDUE_DAYS):
		return "long_overdue"
	if next_review < as_of:
		return "overdue"
	if next_review <= as_of + datetime.timedelta(days=days_ahead):
		return "due"
	return None


# ---------------------------------------------------------------------------------------------
# Trees (District, Need Category)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
	name: str
	parent: str | None = None
	kind: str | None = None  # District: its district_type
	lft: int = 0
	population_65_plus: int | None = None


class Tree:
	"""A tree of named nodes (the District or the Need Category tree), read once per report."""

	def __init__(self, nodes: Iterable[Node]):
		self.nodes = {node.name: node for node in nodes}
		self.children = defaultdict(list)
		for node in sorted(self.nodes.values(), key=lambda n: (n.lft, n.name)):
			if node.parent in self.nodes:
				self.children[node.parent].append(node.name)
		self._population = {}

	def __contains__(self, name) -> bool:
		return name in self.nodes

	def order(self, name: str) -> tuple:
		node = self.nodes.get(name)
		return (node.lft if node else 1 << 30, name or "")

	def sorted(self, names: Iterable[str]) -> list[str]:
		return sorted(names, key=self.order)

	def ancestors_or_self(self, name: str) -> list[str]:
		"""`name` and the nodes above it, nearest first."""
		chain = []
		seen = set()
		while name and name not in seen:
			chain.append(name)
			seen.add(name)
			node = self.nodes.get(name)
			name = node.parent if node else None
		return chain

	def is_within(self, name: str, ancestor: str) -> bool:
		"""True when `name` is `ancestor` or lies below it."""
		return ancestor in self.ancestors_or_self(name)

	def descendants_or_self(self, name: str) -> set[str]:
		found = set()
		stack = [name]
		while stack:
			current = stack.pop()
			if current in found:
				continue
			found.add(current)
			stack.extend(self.children.get(current, ()))
		return found

	def subtree(self, names: Iterable[str] | None) -> set[str] | None:
		"""The nodes given and all below them; None (no restriction) when none are given."""
		if not names:
			return None
		found = set()
		for name in names:
			if name in self.nodes:
				found |= self.descendants_or_self(name)
		return found

	def leaves(self) -> list[str]:
		return self.sorted(name for name in self.nodes if not self.children.get(name))

	def unit_of(self, name: str, level: str) -> str:
		"""The node at `level` (a district type) that `name` lies in; `name` itself when it is above the level."""
		for ancestor in self.ancestors_or_self(name):
			node = self.nodes.get(ancestor)
			if node and node.kind == level:
				return ancestor
		return name

	def units(self, level: str, within: set[str] | None = None) -> list[str]:
		"""The nodes of `level` (in tree order), limited to `within` when given."""
		return self.sorted(
			name
			for name, node in self.nodes.items()
			if node.kind == level and (within is None or name in within)
		)

	def population_65(self, name: str) -> int | None:
		"""The district's population aged 65+: its own figure, else the sum of its children's."""
		if name in self._population:
			return self._population[name]
		node = self.nodes.get(name)
		value = None
		if node and node.population_65_plus:
			value = node.population_65_plus
		else:
			figures = [self.population_65(child) for child in self.children.get(name, ())]
			figures = [f for f in figures if f]
			value = sum(figures) if figures else None
		self._population[name] = value
		return value


def roll_up(counts: Mapping[tuple, int], tree: Tree, level: str) -> dict[tuple, int]:
	"""Counts keyed by (district, category) summed to (unit at `level`, category)."""
	rolled = defaultdict(int)
	for (district, category), count in counts.items():
		rolled[(tree.unit_of(district, level), category)] += count
	return dict(rolled)


def units_in_view(tree: Tree, level: str, allowed: set[str] | None) -> list[str]:
	"""The units at `level` a report shows: all of them, or those wholly or partly in `allowed`.

	A unit is shown when it or any district below it is allowed (a Layer 2 coordinator covering one
	school district sees the daily-life area it lies in, counted over what it may see).
	"""
	units = tree.units(level)
	if allowed is None:
		return units
	return [
		unit for unit in units if unit in allowed or any(d in allowed for d in tree.descendants_or_self(unit))
	]


# ---------------------------------------------------------------------------------------------
# ニーズ集計: needs by district and category, rate per 1,000 aged 65+, change against the previous period
# ---------------------------------------------------------------------------------------------


def _group_key(unit: str | None, category: str | None, group_by: str) -> tuple:
	if group_by == GROUP_BY_DISTRICT:
		return (unit, None)
	if group_by == GROUP_BY_CATEGORY:
		return (None, category)
	return (unit, category)


def needs_summary(
	current: Mapping[tuple, int],
	previous: Mapping[tuple, int],
	tree: Tree,
	level: str,
	units: list[str],
	group_by: str = GROUP_BY_DISTRICT_AND_CATEGORY,
	category_order: list[str] | None = None,
) -> tuple[list[dict], dict]:
	"""Rows of needs this period and the previous one, with the change and the rate per 1,000 aged 65+.

	`current` and `previous` count needs by (district as recorded, category). Rows come per unit,
	per category or per both; unit rows are listed for every unit in view (also with no needs).
	Returns the rows (true counts) and a total row; `mask_needs_rows` prepares them for display.
	"""
	grouped_now = defaultdict(int)
	grouped_before = defaultdict(int)
	for source, target in ((current, grouped_now), (previous, grouped_before)):
		for (unit, category), count in roll_up(source, tree, level).items():
			target[_group_key(unit, category, group_by)] += count
	keys = set(grouped_now) | set(grouped_before)
	if group_by == GROUP_BY_DISTRICT:
		keys |= {(unit, None) for unit in units}
	order = {name: i for i, name in enumerate(category_order or [])}
	unit_rank = {unit: i for i, unit in enumerate(units)}

	def sort_key(key):
		unit, category = key
		return (
			unit_rank.get(unit, len(unit_rank)) if unit else -1,
			tree.order(unit) if unit else (0, ""),
			order.get(category, len(order)) if category else -1,
			category or "",
		)

	scope_population = sum(p for p in (tree.population_65(u) for u in units) if p) or None
	rows = []
	for key in sorted(keys, key=sort_key):
		unit, category = key
		now, before = grouped_now.get(key, 0), grouped_before.get(key, 0)
		population = tree.population_65(unit) if unit else scope_population
		difference, percent = change(now, before)
		rows.append(
			{
				"district": unit,
				"category": category,
				"needs": now,
				"previous_needs": before,
				"change": difference,
				"change_percent": percent,
				"population_65_plus": population,
				"rate_per_1000": rate_per_thousand(now, population),
			}
		)
	total_now = sum(grouped_now.values())
	total_before = sum(grouped_before.values())
	difference, percent = change(total_now, total_before)
	total = {
		"district": None,
		"category": None,
		"needs": total_now,
		"previous_needs": total_before,
		"change": difference,
		"change_percent": percent,
		"population_65_plus": scope_population,
		"rate_per_1000": rate_per_thousand(total_now, scope_population),
	}
	return rows, total


def mask_needs_row(row: dict) -> dict:
	"""A needs-summary row as shown: small counts as "<3", and what would reveal them hidden."""
	now, before = row["needs"], row["previous_needs"]
	difference, percent = masked_change(now, before)
	return {
		**row,
		"needs": mask(now),
		"previous_needs": mask(before),
		"change": difference,
		"change_percent": percent,
		"rate_per_1000": masked_rate(now, row.get("population_65_plus")),
	}


# ---------------------------------------------------------------------------------------------
# 資源ギャップ: open needs against available resources per district and category
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
	name: str
	districts: tuple = ()  # its district and the additional districts it serves
	categories: tuple = ()  # the need categories it answers
	domain: str | None = None


def resource_serves(resource: Resource, unit: str, tree: Tree) -> bool:
	"""A resource is available in a unit when it is registered there, above it (it serves the whole
	area) or below it (it lies inside the unit)."""
	return any(tree.is_within(unit, d) or tree.is_within(d, unit) for d in resource.districts)


def resource_answers(resource: Resource, category: str, categories: Tree) -> bool:
	"""A resource answers a need category when it lists the category or a category above it."""
	return any(categories.is_within(category, c) for c in resource.categories)


def resource_counts(
	resources: Iterable[Resource], tree: Tree, units: list[str], categories: Tree, category_names: list[str]
) -> dict[tuple, int]:
	"""How many resources are available per (unit, category)."""
	counts = defaultdict(int)
	for resource in resources:
		answered = [c for c in category_names if resource_answers(resource, c, categories)]
		if not answered:
			continue
		for unit in units:
			if resource_serves(resource, unit, tree):
				for category in answered:
					counts[(unit, category)] += 1
	return dict(counts)


def gap_rows(
	open_needs: Mapping[tuple, int],
	resources: Mapping[tuple, int],
	tree: Tree,
	unit_order: list[str],
	category_order: list[str],
	gaps_only: bool = False,
) -> list[dict]:
	"""One row per (unit, category) with open needs or resources: needs, resources, needs per resource
	and whether it is a gap (open needs and no resource)."""
	unit_rank = {unit: i for i, unit in enumerate(unit_order)}
	category_rank = {category: i for i, category in enumerate(category_order)}
	keys = {key for key, count in open_needs.items() if count} | {k for k, c in resources.items() if c}
	rows = []
	for unit, category in sorted(
		keys,
		key=lambda k: (
			unit_rank.get(k[0], len(unit_rank)),
			tree.order(k[0]),
			category_rank.get(k[1], len(category_rank)),
			k[1] or "",
		),
	):
		needs = open_needs.get((unit, category), 0)
		available = resources.get((unit, category), 0)
		gap = needs > 0 and available == 0
		if gaps_only and not gap:
			continue
		rows.append(
			{
				"district": unit,
				"category": category,
				"open_needs": needs,
				"resources": available,
				"needs_per_resource": round(needs / available, 1) if available else None,
				"gap": gap,
			}
		)
	return rows


def mask_gap_row(row: dict) -> dict:
	needs = row["open_needs"]
	return {
		**row,
		"open_needs": mask(needs),
		"needs_per_resource": None if is_small(needs) else row["needs_per_resource"],
	}


def gap_by_unit(rows: list[dict]) -> dict[str, dict]:
	"""Per unit: open needs, the categories with a gap, and the resources (for the map and the emails)."""
	result = {}
	for row in rows:
		entry = result.setdefault(row["district"], {"open_needs": 0, "gaps": [], "categories": 0})
		entry["open_needs"] += row["open_needs"]
		entry["categories"] += 1
		if row["gap"]:
			entry["gaps"].append(row["category"])
	return result


# ---------------------------------------------------------------------------------------------
# モニタリング期限 and 担当状況
# ---------------------------------------------------------------------------------------------


def review_counts(
	reviews: Iterable[tuple[str | None, datetime.date | None, int]], as_of: datetime.date, days_ahead: int
) -> dict[str | None, dict]:
	"""Per coordinator: plans long overdue, overdue (any) and due within `days_ahead`.

	`reviews` holds (coordinator, next review date, number of plans) triples.
	"""
	result = {}
	for coordinator, next_review, count in reviews:
		bucket = review_bucket(next_review, as_of, days_ahead)
		if not bucket:
			continue
		entry = result.setdefault(coordinator, {"overdue": 0, "long_overdue": 0, "due": 0})
		if bucket == "due":
			entry["due"] += count
		else:
			entry["overdue"] += count
			if bucket == "long_overdue":
				entry["long_overdue"] += count
	for entry in result.values():
		entry["total"] = entry["overdue"] + entry["due"]
	return result


def mask_counts(row: dict, fields: Iterable[str]) -> dict:
	"""The row with each of `fields` masked."""
	return {**row, **{f: mask(row.get(f) or 0) for f in fields}}


def sum_rows(rows: Iterable[Mapping], fields: Iterable[str]) -> dict:
	fields = list(fields)
	total = dict.fromkeys(fields, 0)
	for row in rows:
		for f in fields:
			total[f] += row.get(f) or 0
	return total


# ---------------------------------------------------------------------------------------------
# 地域課題の流れ: needs → issues → councils → community plans → resolved
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueFacts:
	name: str
	district: str
	status: str
	discussed: bool = False
	planned: bool = False


FLOW_FIELDS = (
	"needs_recorded",
	"needs_lifted",
	"issues_raised",
	"issues_discussed",
	"issues_planned",
	"issues_resolved",
)
FLOW_NEED_FIELDS = ("needs_recorded", "needs_lifted")


def issue_flow(
	needs_recorded: Mapping[str, int],
	needs_lifted: Mapping[str, int],
	issues: Iterable[IssueFacts],
	tree: Tree,
	level: str,
	units: list[str],
) -> tuple[list[dict], dict]:
	"""Per unit: needs recorded and lifted to issues, issues raised, discussed in a council, turned
	into a community plan and resolved. Need counts are keyed by the district recorded."""
	rows = {unit: dict.fromkeys(FLOW_FIELDS, 0) for unit in units}

	def row_for(district):
		unit = tree.unit_of(district, level)
		return rows.setdefault(unit, dict.fromkeys(FLOW_FIELDS, 0))

	for district, count in needs_recorded.items():
		row_for(district)["needs_recorded"] += count
	for district, count in needs_lifted.items():
		row_for(district)["needs_lifted"] += count
	for issue in issues:
		row = row_for(issue.district)
		row["issues_raised"] += 1
		row["issues_discussed"] += int(issue.discussed)
		row["issues_planned"] += int(issue.planned)
		row["issues_resolved"] += int(issue.status == "Resolved")
	unit_rank = {unit: i for i, unit in enumerate(units)}
	ordered = sorted(rows, key=lambda u: (unit_rank.get(u, len(unit_rank)), tree.order(u)))
	result = [{"district": unit, **rows[unit]} for unit in ordered]
	return result, sum_rows(result, FLOW_FIELDS)


# ---------------------------------------------------------------------------------------------
# 協議体活動 and 生活支援体制整備事業 実績
# ---------------------------------------------------------------------------------------------


@dataclass
class CouncilActivity:
	council: str
	meetings: int = 0
	attendance: int = 0
	issues: set = field(default_factory=set)
	decisions: int = 0
	follow_ups: int = 0
	open_follow_ups: int = 0

	def as_row(self) -> dict:
		return {
			"council": self.council,
			"meetings": self.meetings,
			"attendance": self.attendance,
			"average_attendance": round(self.attendance / self.meetings, 1) if self.meetings else None,
			"issues_discussed": len(self.issues),
			"decisions": self.decisions,
			"follow_ups": self.follow_ups,
			"open_follow_ups": self.open_follow_ups,
		}


def coordinator_serves_in(
	appointed_from: datetime.date | None,
	appointed_to: datetime.date | None,
	is_active: bool,
	start: datetime.date,
	end: datetime.date,
) -> bool:
	"""Whether a coordinator was in post at some time in [start, end].

	Without appointment dates an active coordinator counts; one with dates counts when they overlap.
	"""
	if not appointed_from and not appointed_to:
		return bool(is_active)
	if appointed_from and appointed_from > end:
		return False
	if appointed_to and appointed_to < start:
		return False
	return True
