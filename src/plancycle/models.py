"""The data plancycle hands out: election periods, milestones and schedules (pydantic, pure data)."""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from typing import Any, Literal, NoReturn, Self, get_args

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from plancycle.calendar_no import HolidayPeriod, check_election_year, election_day
from plancycle.errors import InputError, PlanCycleError, UnknownMilestoneError, wrong_type
from plancycle.i18n import Language
from plancycle.ids import MilestoneId
from plancycle.municipalities import County, Municipality
from plancycle.processes.declaration import Kind, ProcessModel, ProcessName
from plancycle.rules import Binding, Confidence, LegalBasis

#: The contract fields of a milestone (domain.md §4), in output order.
MILESTONE_FIELDS: tuple[str, ...] = (
    "id", "process", "kind", "title", "start", "end", "due", "binding", "basis", "confidence",
    "provisional",
)


class ShapeError(InputError):
    """A pydantic model given input of the wrong shape: a field missing, unknown or of the wrong
    type (:class:`PlanCycleModel`). One line naming the model, the first bad field (``where``:
    ``Model.field.path``) and what is allowed, in each language; ``validation`` is the pydantic
    error it comes from (also its ``__cause__``)."""

    def __init__(self, model: str, field: str, validation: ValidationError | None = None, /, *,
                 key: str, **fields: Any) -> None:
        self.model, self.field, self.validation = model, field, validation
        super().__init__(key=key, where=f"{model}.{field}" if field else model, **fields)
        if validation is not None:
            self.__cause__ = validation

    def nested_in(self, model: str, field: str, validation: ValidationError) -> ShapeError:
        """This error, raised by a model nested in ``model`` at ``field``, as ``model``'s."""
        inner = {name: value for name, value in self.fields.items() if name != "where"}
        path = f"{field}.{self.field}" if self.field else field
        assert self.key is not None
        return ShapeError(model, path, validation, key=self.key, **inner)


#: The words for what a value must be, by the prefix of pydantic's error type.
_EXPECTED: tuple[tuple[str, str], ...] = (
    ("int_", "model_expect_int"), ("float_", "model_expect_number"),
    ("decimal_", "model_expect_number"), ("bool_", "model_expect_bool"),
    ("string_type", "model_expect_text"), ("string_unicode", "model_expect_text"),
    ("date_", "model_expect_date"), ("datetime_", "model_expect_datetime"),
    ("timezone_", "model_expect_datetime"), ("time_delta_", "model_expect_duration"),
    ("time_", "model_expect_time"), ("tuple_type", "model_expect_list"),
    ("list_type", "model_expect_list"), ("set_type", "model_expect_list"),
    ("frozen_set_type", "model_expect_list"), ("iterable_type", "model_expect_list"),
    ("dict_type", "model_expect_table"), ("mapping_type", "model_expect_table"),
    ("model_type", "model_expect_table"), ("model_attributes_type", "model_expect_table"),
    ("dataclass_type", "model_expect_table"), ("none_required", "model_expect_none"),
    ("bytes_type", "model_expect_bytes"),
)
_RELATIONS = {"greater_than_equal": ("ge", "model_at_least"),
              "greater_than": ("gt", "model_more_than"),
              "less_than_equal": ("le", "model_at_most"), "less_than": ("lt", "model_less_than")}
_LENGTHS = {"too_short": ("min_length", "model_at_least", "model_unit_items"),
            "too_long": ("max_length", "model_at_most", "model_unit_items"),
            "string_too_short": ("min_length", "model_at_least", "model_unit_chars"),
            "string_too_long": ("max_length", "model_at_most", "model_unit_chars")}
#: A union member's part of an error's location (``int``, ``str``, ``literal['a']``, ...).
_UNION_MEMBER = re.compile(r"^(?:int|str|float|bool|bytes|date|datetime|time|timedelta|none|"
                           r"decimal|[a-z][a-z-]*\[.*\])$")


def _path(loc: tuple[int | str, ...]) -> str:
    """``("facts", 0, "date")`` → ``facts[0].date``."""
    out = ""
    for item in loc:
        out += f"[{item}]" if isinstance(item, int) else (f".{item}" if out else str(item))
    return out


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation holds (``tuple[Fact, ...]``, ``Municipality | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The (nested) model whose field ``loc`` leads into, if it can be told."""
    current: type[BaseModel] | None = model
    for item in loc:
        if current is None:
            return None
        field = current.model_fields.get(item) if isinstance(item, str) else None
        if field is not None:
            found = _models_in(field.annotation)
            current = found[0] if len(found) == 1 else None
        # else an index or a key of a mapping: the same model goes on
    return current


def _shown(value: object) -> str:
    return reprlib.repr(value)


def shape_error(model: type[BaseModel], error: ValidationError) -> ShapeError:
    """The first problem of a pydantic ``error`` validating ``model``, as one line."""
    details = error.errors(include_url=False)
    first = details[0]
    loc = tuple(first["loc"])
    if (len(details) > 1 and len(loc) >= 1 and isinstance(loc[-1], str)
            and _UNION_MEMBER.match(loc[-1])):  # a union: the value fits none of its members
        second = tuple(details[1]["loc"])
        if second[:-1] == loc[:-1] and isinstance(second[-1], str) \
                and _UNION_MEMBER.match(second[-1]):
            loc = loc[:-1]
    name, field = model.__name__, _path(loc)
    kind, ctx = first["type"], first.get("ctx") or {}
    given = _shown(first.get("input"))

    def shaped(key: str, **fields: object) -> ShapeError:
        return ShapeError(name, field, error, key=key, **fields)

    if kind == "missing":
        return shaped("model_missing")
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        if owner is None:
            return shaped("model_unknown_field_here")
        return shaped("model_unknown_field", owner=owner.__name__,
                      allowed=", ".join(owner.model_fields))
    if kind in ("literal_error", "enum"):  # pydantic's "'a', 'b' or 'c'", in no language
        allowed = str(ctx.get("expected", "")).replace(" or ", ", ")
        return shaped("model_choice", given=given, allowed=allowed)
    if kind == "union_tag_invalid":
        return shaped("model_choice", given=_shown(ctx.get("tag")),
                      allowed=str(ctx.get("expected_tags", "")))
    if kind == "union_tag_not_found":
        return ShapeError(name, _path((*loc, str(ctx.get("discriminator", "type")).strip("'"))),
                          error, key="model_missing")
    if kind in _RELATIONS:
        bound, relation = _RELATIONS[kind]
        return shaped("model_range", given=given, relation_label=relation,
                      limit=_shown(ctx.get(bound)))
    if kind in _LENGTHS:
        bound, relation, unit = _LENGTHS[kind]
        return shaped("model_length", relation_label=relation, limit=_shown(ctx.get(bound)),
                      unit_label=unit, actual=_shown(ctx.get("actual_length")))
    if kind == "is_instance_of":
        return shaped("model_instance", type=str(ctx.get("class", "")), given=given)
    if kind == "recursion_loop":
        return ShapeError(name, "", error, key="model_nested")
    if kind == "json_invalid":
        return ShapeError(name, "", error, key="model_json", problem=str(ctx.get("error", ""))[:300])
    for prefix, expected in _EXPECTED:
        if kind.startswith(prefix):
            return shaped("model_type", expected_label=expected, given=given)
    problem = first["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return shaped("model_value", problem=problem[:300])


def _refused(model: type[BaseModel], error: ValidationError) -> NoReturn:
    """Raise what ``error`` (validating ``model``) means, caused by ``error``: the
    :class:`PlanCycleError` a validator raised (a nested model's :class:`ShapeError` with the
    outer part of the field added), or else a :class:`ShapeError` naming the first problem."""
    for detail in error.errors(include_url=False):
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, ShapeError):
            loc = tuple(detail["loc"])
            if not loc:
                raise cause
            raise cause.nested_in(model.__name__, _path(loc), error) from error
        if isinstance(cause, PlanCycleError):
            raise cause from error
    raise shape_error(model, error) from error


class PlanCycleModel(BaseModel):
    """A frozen pydantic model whose validation refuses with plancycle's own errors, never a
    pydantic ``ValidationError``.

    pydantic wraps a ``ValueError`` raised in a validator (an :class:`InputError` is one) into a
    ``ValidationError``. Constructing a model, :meth:`model_validate`, :meth:`model_validate_json`
    and :meth:`model_validate_strings` unwrap it again: the caller gets the keyed
    :class:`PlanCycleError` (with the ``ValidationError``, which says where, as ``__cause__``),
    also when the refused value is nested (a schedule's ``period``). Input of the wrong shape (a
    field missing, unknown or of the wrong type) is a :class:`ShapeError` (an
    :class:`InputError`) naming the model, the first bad field and what is allowed, in one line.
    Only the failure path is wrapped: valid input costs what it costs in pydantic.

    A subclass may refuse in its own words by overriding :meth:`_refuse` (the scenario's models
    name the field of the scenario file, a saved run state is a ``DataError``).

    Its JSON Schema in serialization mode lists every field as required: ``model_dump_json``
    always writes them all (:mod:`plancycle.schema`).
    """

    #: ``defer_build``: a model's validator is built when first used, not when its module is
    #: imported (a command imports many models it never uses).
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True,
                              defer_build=True)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except (ValidationError, RecursionError) as exc:
            type(self)._refuse(exc)

    @classmethod
    def _refuse(cls, error: ValidationError | RecursionError) -> NoReturn:
        """Raise the :class:`PlanCycleError` that ``error`` (validating ``cls``) means."""
        if isinstance(error, RecursionError):
            raise ShapeError(cls.__name__, "", key="model_nested") from None
        _refused(cls, error)

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        try:
            return super().model_validate(obj, *args, **kwargs)
        except (ValidationError, RecursionError) as exc:
            cls._refuse(exc)

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, *args: Any,
                            **kwargs: Any) -> Self:
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        except (ValidationError, RecursionError) as exc:
            cls._refuse(exc)

    @classmethod
    def model_validate_strings(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        try:
            return super().model_validate_strings(obj, *args, **kwargs)
        except (ValidationError, RecursionError) as exc:
            cls._refuse(exc)


class ElectionPeriod(PlanCycleModel):
    """One electoral term: election year Y, election day E and constituent meeting K.

    A schedule covers 1 January of Y through 31 October of Y+4. However a period is made
    (:meth:`for_year`, the constructor, ``model_validate``/``model_validate_json``), it is
    refused with the same :class:`InputError`: Y not an election year, E outside September of
    Y, K not after E, K after 31 December of Y.
    """

    election_year: int
    election_day: dt.date
    election_day_provisional: bool
    election_day_confidence: Confidence
    constituted: dt.date
    constituted_assumed: bool

    @classmethod
    def for_year(cls, year: int, *, election_day_override: dt.date | None = None,
                 constituted: dt.date | None = None) -> ElectionPeriod:
        """The period of election ``year``, validating any user-given dates.

        Without ``constituted``, K defaults to the third Thursday of October of Y (a common
        choice, well inside the 31 October limit), marked as assumed. ``year`` must be an
        ``int`` and the dates :class:`datetime.date` (not ``datetime``, not text), else
        :class:`InputError`.
        """
        for argument, value in (("election_day_override", election_day_override),
                                ("constituted", constituted)):
            if value is not None and (not isinstance(value, dt.date)
                                      or isinstance(value, dt.datetime)):
                raise InputError(key="not_a_date", what="ElectionPeriod.for_year",
                                 argument=argument, given=reprlib.repr(value),
                                 kind=type(value).__name__)
        known = election_day(year)
        if election_day_override is not None:
            day, provisional, confidence = election_day_override, False, known.confidence
        else:
            day, provisional, confidence = known.date, known.provisional, known.confidence
        assumed = constituted is None
        if constituted is None:
            constituted = default_constituted(year)
        return cls(election_year=year, election_day=day, election_day_provisional=provisional,
                   election_day_confidence=confidence, constituted=constituted,
                   constituted_assumed=assumed)

    @model_validator(mode="after")
    def _check_dates(self) -> Self:
        year, day, constituted = self.election_year, self.election_day, self.constituted
        check_election_year(year)
        if day.year != year or day.month != 9:
            raise InputError(key="election_day_not_september", date=day.isoformat(), year=year)
        if constituted <= day:
            raise InputError(key="constituted_not_after_election", date=constituted.isoformat(),
                             election_day=day.isoformat())
        if constituted > dt.date(year, 12, 31):
            raise InputError(key="constituted_after_year", date=constituted.isoformat(), year=year)
        return self

    @property
    def start(self) -> dt.date:
        return dt.date(self.election_year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.election_year + 4, 10, 31)

    @property
    def constituted_late(self) -> bool:
        """True when K is after 31 October of Y (constitution rule violated)."""
        return self.constituted > dt.date(self.election_year, 10, 31)


def default_constituted(year: int) -> dt.date:
    """The assumed K: the third Thursday of October of ``year``."""
    first = dt.date(year, 10, 1)
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + dt.timedelta(weeks=2)


class Padding(PlanCycleModel):
    """Days added to a consultation window because it overlaps a holiday (rule hearing-holidays)."""

    holiday: HolidayPeriod
    days: int


#: ``no_council_meeting``: no meeting of the council's meeting plan fits (the decision stays on
#: its planned day); ``outside_term``: facts or a meeting plan moved it outside the term.
MilestoneFlag = Literal["no_council_meeting", "outside_term"]


class Milestone(PlanCycleModel):
    """One dated item of the plan cycle.

    Its JSON form starts with the contract fields of domain.md §4 (:data:`MILESTONE_FIELDS`, in
    that order), followed by ``rules`` (the cited rule ids), ``todo``, ``min_days``, ``padding``,
    ``papers`` (the day a council decision's papers must be published) and ``flags`` (e.g.
    ``no_council_meeting``: no meeting in the council's meeting plan fits before the due date),
    which serve descriptions and checks. Nothing is left out, so
    ``Milestone.model_validate_json(m.model_dump_json()) == m``.
    """

    id: str
    process: ProcessName
    kind: Kind
    title: str
    start: dt.date
    end: dt.date
    due: dt.date | None
    binding: Binding
    basis: tuple[LegalBasis, ...]
    confidence: Confidence
    provisional: bool
    rules: tuple[str, ...] = ()
    todo: str = ""
    min_days: int | None = None
    padding: tuple[Padding, ...] = ()
    papers: dt.date | None = None
    flags: tuple[MilestoneFlag, ...] = ()

    @property
    def key(self) -> str:
        """The id without the year of a yearly item (``action_economy_plan.adopted``)."""
        return MilestoneId.parse(self.id).key

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """The planned days that must be working days: the day, or a window's first and last."""
        return (self.start,) if self.start == self.end else (self.start, self.end)


class Schedule(PlanCycleModel):
    """The milestones of one term for one municipality (or none) and one process model.

    ``Schedule.model_validate_json(s.model_dump_json()) == s``: a schedule saved as JSON and
    loaded again gives the same calendar, descriptions and checks.
    """

    period: ElectionPeriod
    model: ProcessModel
    lang: Language
    municipality: Municipality | None = None
    county: County | None = None
    milestones: tuple[Milestone, ...]
    warnings: tuple[str, ...] = ()

    def milestone(self, milestone_id: str) -> Milestone:
        """The milestone with id ``milestone_id``.

        Raises :class:`~plancycle.errors.UnknownMilestoneError` (an :class:`InputError` and a
        ``KeyError``) naming close ids, or else how many there are and what they look like; an
        id that is not text is an :class:`InputError`.
        """
        if not isinstance(milestone_id, str):
            raise wrong_type("Schedule.milestone", "milestone_id", "str", milestone_id)
        for item in self.milestones:
            if item.id == milestone_id:
                return item
        ids = [item.id for item in self.milestones]
        if not ids:
            raise UnknownMilestoneError(key="unknown_milestone_none", id=milestone_id)
        import difflib  # only for a suggestion, when a name is not found

        close = difflib.get_close_matches(milestone_id, ids, n=3, cutoff=0.75)
        if close:
            raise UnknownMilestoneError(key="unknown_milestone_suggest", id=milestone_id,
                                        suggestions=", ".join(close), count=len(ids))
        examples: dict[str, str] = {}  # per process: its first adoption, else its first id
        for item in self.milestones:
            if item.process not in examples or (item.id.endswith(".adopted")
                                                and not examples[item.process].endswith(".adopted")):
                examples[item.process] = item.id
        raise UnknownMilestoneError(key="unknown_milestone", id=milestone_id, count=len(ids),
                                    examples=", ".join(examples.values()))

    def to_pandas(self) -> Any:
        """One row per milestone as a pandas DataFrame with typed columns
        (:func:`plancycle.frames.schedule_frame`; needs the ``frames`` extra, else a
        :class:`~plancycle.errors.PlanCycleError` saying how to install it)."""
        from plancycle.frames import schedule_frame

        return schedule_frame(self)

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON contract of the CLI (``plancycle schedule --format json``).

        Each milestone is its full JSON form: the contract fields (:data:`MILESTONE_FIELDS`)
        first, in that order, then the other fields of :class:`Milestone`.
        """
        owner = self.municipality or self.county
        return {
            "election_year": self.period.election_year,
            "model": self.model,
            "municipality": {"number": owner.number, "name": owner.name} if owner else None,
            "election_day": self.period.election_day.isoformat(),
            "constituted": self.period.constituted.isoformat(),
            "constituted_assumed": self.period.constituted_assumed,
            "milestones": [m.model_dump(mode="json") for m in self.milestones],
            "warnings": list(self.warnings),
        }
