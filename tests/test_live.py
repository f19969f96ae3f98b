"""The live-call controller: marks, refusals, the live display's numbers, retests, answers."""

from __future__ import annotations

import dataclasses

import pytest

from callcheck.answers import adjust, choices, cycle, describe_answer, next_answer, set_na
from callcheck.errors import Refused
from callcheck.live import REPEAT_WINDOW, LiveCall, RepeatFilter, stamp
from callcheck.observations import Context
from callcheck.preview import drop_unreached, preview
from callcheck.rubric import Rubric
from callcheck.scoring import MISSING
from callcheck.session import Session, finish

from .clocks import Clocks


def new_call(rubric: Rubric, clocks: Clocks, **context: object) -> LiveCall:
    ctx = Context(**context)  # type: ignore[arg-type]
    session = Session.new(rubric, header={"agency": "基隆市選舉委員會", "number": "02-2424-0000",
                                          "tester": "王小明", "at": "2026-11-26T10:00:00+08:00"},
                          context=ctx)
    call = LiveCall(rubric, session, clock=clocks, wall_clock=clocks.wall)
    call.start(clocks.at(0))
    return call


def rings(call: LiveCall, clocks: Clocks, first: float, count: int, cadence: float = 3.0) -> None:
    for k in range(count):
        call.mark("ring", clocks.at(first + k * cadence))


def test_a_mark_is_stamped_with_the_time_given_not_the_time_it_is_handled(
        telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    pressed = clocks.at(2.5)
    clocks.at(2.9)  # the handler runs later
    mark = call.mark("ring", pressed)
    assert mark.t == 2.5
    assert mark.phase == "ivr"


def test_elapsed_tenths_come_from_the_clock(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    call.mark("ring", clocks.at(1.0))
    clocks.at(13.26)
    view = call.view()
    assert view.tenths == 123
    assert view.expected_rings == 5  # rings at 0, 3, 6, 9, 12 s
    assert view.rings == 1
    assert view.rings_behind


def test_give_up_before_the_unanswered_threshold_is_refused(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    rings(call, clocks, 1.0, 6)
    with pytest.raises(Refused) as refused:
        call.mark("give_up", clocks.at(17.0))
    assert "9 rings or 20.0 s not yet reached" in refused.value.reason.en
    assert "尚未達9 聲或 20.0 秒" in refused.value.reason.zh
    assert call.session.attempts[0].marks[-1].kind == "ring"


def test_give_up_is_allowed_at_twenty_seconds_with_fewer_rings(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    rings(call, clocks, 1.0, 6)
    assert call.view(clocks.at(20.9)).unanswered_reached is False
    assert call.view(clocks.at(21.0)).unanswered_reached is True
    call.mark("give_up", clocks.at(21.0))
    assert call.ended


def test_give_up_is_allowed_at_nine_rings(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    rings(call, clocks, 1.0, 9, cadence=2.0)  # a fast cadence: 9 rings in 16 s
    call.mark("give_up", clocks.at(17.5))
    assert call.session.status == "pending_retest"


def test_points_if_answered_now_follow_the_deduction_rule(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    call.mark("ring", clocks.at(1.0))
    call.mark("answer", clocks.at(2.0))
    call.mark("transfer", clocks.at(5.0))
    rings(call, clocks, 6.0, 6)
    view = call.view(clocks.at(6.0 + 16.2))
    assert (view.id, view.rings, view.tenths) == ("operator", 6, 162)
    assert (view.points, view.points_max, view.factor) == (8, 10, 1)  # min(2, 3) off
    assert view.past_full_marks and not view.unanswered_reached


def test_points_if_answered_now_are_doubled_without_a_voice_system(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks, has_ivr=False)
    assert call.phase_ids == ["operator", "unit"]
    rings(call, clocks, 1.0, 6)
    view = call.view(clocks.at(1.0 + 16.2))
    assert (view.points, view.points_max, view.factor) == (16, 20, 2)


def test_voice_system_points_use_its_bands(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    rings(call, clocks, 1.0, 5)
    assert call.view(clocks.at(1.0 + 12.5)).points == 3
    call.mark("ring", clocks.at(1.0 + 15.0))
    assert call.view(clocks.at(1.0 + 15.1)).points == 0


def test_full_marks_flag_turns_on_past_four_rings_and_ten_seconds(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    rings(call, clocks, 1.0, 4)
    assert not call.view(clocks.at(11.0)).past_full_marks  # 4 rings, 10.0 s
    call.mark("ring", clocks.at(11.05))
    assert call.view(clocks.at(11.1)).past_full_marks  # 5 rings, 10.1 s


def test_thresholds_come_from_the_rubric(telephone: Rubric) -> None:
    assert telephone.timing is not None
    three = dataclasses.replace(telephone, timing=dataclasses.replace(
        telephone.timing, full_marks_rings=3, full_marks_tenths=70))
    clocks = Clocks()
    call = new_call(three, clocks, route="direct")
    rings(call, clocks, 1.0, 4)
    view = call.view(clocks.at(9.1))
    assert view.past_full_marks
    assert view.points == 9  # 4 rings / 8.1 s: one ring and one started 3 s past 3 / 7 s


def test_undo_takes_back_a_mis_pressed_ring(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    rings(call, clocks, 1.0, 2)
    call.mark("ring", clocks.at(4.3))  # pressed twice by mistake
    call.undo(clocks.at(5.0))
    assert call.view(clocks.at(5.0)).rings == 2
    kinds = [m.kind for m in call.session.attempts[0].marks]
    assert kinds == ["dial", "ring", "ring", "ring", "undo"]


def test_undo_with_nothing_to_undo_is_refused(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    with pytest.raises(Refused, match="nothing to undo"):
        call.undo(clocks.at(1.0))


def test_impossible_marks_are_refused_with_a_reason(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    with pytest.raises(Refused, match="has not answered"):
        call.mark("transfer", clocks.at(1.0))
    call.mark("ring", clocks.at(1.0))
    with pytest.raises(Refused, match="does not pass calls on"):
        call.mark("auto_transfer", clocks.at(2.0))
    with pytest.raises(Refused, match="has not answered"):
        call.mark("hang_up", clocks.at(2.0))
    call.mark("answer", clocks.at(2.0))
    with pytest.raises(Refused, match="already answered"):
        call.mark("ring", clocks.at(3.0))


def test_a_switchboard_that_rings_out_is_pending_its_retest(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    rings(call, clocks, 1.0, 9)
    call.mark("give_up", clocks.at(26.0))
    assert call.session.status == "pending_retest"
    assert call.session.due_at == "2026-11-26T10:10:00+08:00"
    with pytest.raises(Refused, match="the call has ended"):
        call.mark("ring", clocks.at(27.0))


def test_retest_before_it_is_due_is_refused_with_the_time_it_is_allowed(
        telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    rings(call, clocks, 1.0, 9)
    call.mark("give_up", clocks.at(26.0))
    clocks.at(9 * 60 + 30)
    check = call.retest_check()
    assert (check.allowed, check.wait_seconds) == (False, 30)
    with pytest.raises(Refused) as refused:
        call.start_retest()
    assert "allowed from 10:10:00 (in 0:30)" in refused.value.reason.en
    assert len(call.session.attempts) == 1
    clocks.at(10 * 60)
    call.start_retest()
    assert len(call.session.attempts) == 2
    assert call.session.attempts[1].started_at == "2026-11-26T10:10:00+08:00"
    assert call.session.status == "draft" and call.session.due_at is None


def test_two_unanswered_attempts_end_in_review_and_score_zero(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    call.mark("ring", clocks.at(1.0))
    call.mark("answer", clocks.at(2.0))
    call.mark("transfer", clocks.at(4.0))
    rings(call, clocks, 5.0, 9)
    call.mark("give_up", clocks.at(30.0))
    clocks.at(11 * 60)
    call.start_retest()
    call.mark("ring", clocks.at(11 * 60 + 1.0))
    call.mark("answer", clocks.at(11 * 60 + 2.0))
    call.mark("transfer", clocks.at(11 * 60 + 4.0))
    rings(call, clocks, 11 * 60 + 5.0, 9)
    call.mark("give_up", clocks.at(11 * 60 + 30.0))
    assert call.session.status == "draft"
    assert call.retest_check().due is None
    call.session.answers["1.1.2"] = 5
    finish(telephone, call.session)
    items = call.session.result["items"]  # type: ignore[index]
    assert items["1.2"]["points"] == 0 and items["1.3.1"]["status"] == "unreached"


def test_undoing_a_give_up_reopens_the_call(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    rings(call, clocks, 1.0, 9)
    call.mark("give_up", clocks.at(26.0))
    call.undo(clocks.at(27.0))
    assert call.session.status == "draft" and not call.ended
    call.mark("answer", clocks.at(28.0))


def test_resumed_call_keeps_counting_from_the_attempt_start(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks)
    call.mark("ring", clocks.at(1.0))
    doc = call.session.to_doc()
    restarted = Clocks(mono=123.0)  # a new process: another monotonic origin
    restarted.base = 123.0 - 40.0  # 40 s of wall time have gone by
    again = LiveCall(telephone, Session.from_doc(doc), clock=restarted,
                     wall_clock=restarted.wall)
    assert again.view().tenths == 390
    again.mark("ring", restarted())
    assert again.session.attempts[0].marks[-1].t == 40.0


def test_auto_transfer_in_the_unit_passes_the_call_on(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks, route="direct")
    assert call.phase_ids == ["unit"]
    rings(call, clocks, 1.0, 5)
    call.mark("auto_transfer", clocks.at(14.0))
    assert not call.ended
    call.mark("answer", clocks.at(16.0))
    call.mark("hang_up", clocks.at(60.0))
    assert call.ended and call.session.status == "draft"


def test_repeat_filter_drops_a_held_key_but_not_a_new_press() -> None:
    keys = RepeatFilter()
    assert keys.accept("space", 10.0)
    assert not keys.accept("space", 10.5)  # the first auto-repeat, after the initial delay
    assert not keys.accept("space", 10.53)
    assert not keys.accept("space", 11.1)  # still held: each repeat extends the window
    assert keys.accept("a", 11.12)  # another key is never a repeat
    assert keys.accept("space", 13.0)
    assert keys.accept("space", 13.0 + REPEAT_WINDOW + 0.01)


def test_stamp_trusts_the_event_time_only_on_the_same_clock() -> None:
    assert stamp(99.8, 100.0) == 99.8
    assert stamp(None, 100.0) == 100.0
    assert stamp(3.0, 100.0) == 100.0  # another clock's time
    assert stamp(100.5, 100.0) == 100.0  # from the future: not this clock


def test_a_choice_cycles_through_every_option_including_conditional_full_marks(
        telephone: Rubric) -> None:
    item = telephone.item("1.3.5")
    seen = []
    value = None
    for _ in range(5):
        value = next_answer(item, value)
        seen.append(value)
    assert seen == [{"points": 3, "option": 1}, {"points": 2, "option": 2},
                    {"points": 0, "option": 3}, {"points": 3, "option": 4},
                    {"points": 3, "option": 1}]
    assert describe_answer(item, seen[3], "en") == \
        "(3) No transfer needed: the information asked for was fully given"


def test_a_yes_no_item_offers_its_conditional_option(telephone: Rubric) -> None:
    item = telephone.item("1.3.6")
    assert [c.value for c in choices(item)] == [True, False, {"points": 2, "option": 1}]
    assert describe_answer(item, True, "zh") == "是"


def test_band_points_move_only_inside_the_band(telephone: Rubric) -> None:
    s = Session.new(telephone)
    assert cycle(telephone, s, "2.2.3") == 10
    assert adjust(telephone, s, "2.2.3", -1) == 9
    assert adjust(telephone, s, "2.2.3", -5) == 8
    assert cycle(telephone, s, "2.2.3") == 7
    assert adjust(telephone, s, "2.2.3", +3) == 7
    assert describe_answer(telephone.item("2.2.3"), 6, "en") == "6 (5–7) Flat tone, manner acceptable."


def test_branch_answers_pick_branch_and_band_then_points(telephone: Rubric) -> None:
    s = Session.new(telephone)
    values = [cycle(telephone, s, "2.3") for _ in range(5)]
    assert values[0] == {"branch": "甲", "points": 20}
    assert values[4] == {"branch": "乙", "points": 20}
    assert adjust(telephone, s, "2.3", -3) == {"branch": "乙", "points": 17}
    with pytest.raises(Refused, match="fixed points"):
        s.answers["2.2.1"] = {"points": 10, "option": 1}
        adjust(telephone, s, "2.2.1", 1)


def test_not_applicable_needs_a_reason(telephone: Rubric) -> None:
    s = Session.new(telephone)
    s.answers["1.3.7"] = 2
    with pytest.raises(Refused, match="needs a reason"):
        set_na(s, "1.3.7", "   ")
    set_na(s, "1.3.7", "本機關無分機")
    assert s.na == {"1.3.7": "本機關無分機"} and "1.3.7" not in s.answers


def test_preview_lists_missing_answers_and_scores_the_rest(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks, route="direct")
    call.mark("ring", clocks.at(1.0))
    call.mark("answer", clocks.at(2.0))
    call.mark("hang_up", clocks.at(30.0))
    call.session.answers.update({"2.2.1": 10, "2.2.2": True})
    p = preview(telephone, call.session)
    assert p.missing == ("2.2.3", "2.3")
    assert p.result is not None and p.result.total.points == 30
    assert p.result.items["2.2.3"].status == MISSING
    assert not p.complete


def test_preview_drops_answers_the_call_never_reached(telephone: Rubric) -> None:
    clocks = Clocks()
    call = new_call(telephone, clocks, route="direct")
    call.session.answers["2.2.1"] = 10
    rings(call, clocks, 1.0, 9)
    call.mark("give_up", clocks.at(26.0))
    p = preview(telephone, call.session)
    assert p.dropped == ("2.2.1",)
    assert drop_unreached(telephone, call.session) == ("2.2.1",)
    assert preview(telephone, call.session).complete
