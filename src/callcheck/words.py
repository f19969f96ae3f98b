"""Every word callcheck says, in Traditional Chinese (the form's wording) and English: one table.

The app's screens and the command line (`--lang`, `$CALLCHECK_LANG`) read the
same table through the one lookup `tr(key, lang)`, so `callcheck list` and the
History screen say 草稿, 待重測, 已完成 alike. Keys are `area.name`;
`key.<binding id>` names a key in the footer and the help screen
(ui/bindings.py); a sentence that tells which key to press names it by a
`{key_<binding id>}` field, filled from `keys.KEYS`, never by hand
(tests/test_key_words.py). Form wording (item labels, phase names, header
fields) comes from the rubric, not from here. Plain data: the core may import it, and it
imports nothing of the UI.
"""

from __future__ import annotations

import re
import unicodedata

from .i18n import Lang, Msg
from .keys import key_name

WORDS: dict[str, Msg] = {
    # keys: the footer and the help screen
    "key.help": Msg("說明", "Help"),
    "key.quit": Msg("離開", "Quit"),
    "key.back": Msg("返回", "Back"),
    "key.new_call": Msg("新電話測試", "New telephone test"),
    "key.retest": Msg("重測", "Retest"),
    "key.resume": Msg("繼續未完成", "Resume"),
    "key.open": Msg("開啟", "Open"),
    "key.history": Msg("評核紀錄", "History"),
    "key.start": Msg("撥號", "Dial"),
    "key.ring": Msg("鈴響", "Ring"),
    "key.answer": Msg("接聽", "Answered"),
    "key.transfer": Msg("轉接", "Transfer"),
    "key.give_up": Msg("無人接聽", "Unanswered"),
    "key.out_of_order": Msg("電話故障", "Out of order"),
    "key.auto_transfer": Msg("自動轉接", "Auto transfer"),
    "key.busy": Msg("忙線", "Busy"),
    "key.dropped": Msg("斷線", "Drop"),
    "key.cadence": Msg("鈴響間隔", "Ring cadence"),
    "key.hang_up": Msg("結束通話", "End call"),
    "key.undo": Msg("復原", "Undo"),
    "key.item": Msg("作答", "Answer"),
    "key.more": Msg("加分", "Points +"),
    "key.less": Msg("減分", "Points −"),
    "key.note": Msg("紀錄事項", "Note"),
    "key.phase": Msg("切換題組", "Other phase's items"),
    "key.continue": Msg("繼續", "Continue"),
    "key.change": Msg("更改作答", "Change answer"),
    "key.na": Msg("不適用", "Not applicable"),
    "key.na_part": Msg("整部分不適用", "Part not applicable"),
    "key.finish": Msg("完成評分", "Finish"),
    "key.rings": Msg("更正鈴響聲數", "Correct rings"),
    "key.close": Msg("關閉", "Close"),
    "key.cancel": Msg("取消", "Cancel"),
    "key.discard": Msg("放棄", "Discard"),
    "key.timeline": Msg("時間軸", "Timeline"),
    "key.revisions": Msg("修改紀錄", "Revisions"),
    "key.page_down": Msg("下一頁", "Page down"),
    "key.page_up": Msg("上一頁", "Page up"),
    "key.item_up": Msg("上一項", "Previous item"),
    "key.item_down": Msg("下一項", "Next item"),
    "key.answer_next": Msg("下一個選項", "Next answer"),
    "key.answer_back": Msg("上一個選項（反向）", "Previous answer (reverse)"),
    "key.pick": Msg("選擇", "Pick"),
    "action.app.focus_next": Msg("下一欄", "Next field"),
    "action.app.focus_previous": Msg("上一欄", "Previous field"),
    "action.screen.copy_text": Msg("複製選取文字", "Copy selected text"),
    # home
    "home.title": Msg("電話禮貌測試", "Telephone courtesy tests"),
    "home.start": Msg("開始", "Start"),
    "home.menu.new_call": Msg("新電話測試", "New telephone test"),
    "home.menu.history": Msg("評核紀錄", "History"),
    "home.pending": Msg("待重測", "Waiting for a retest"),
    "home.drafts": Msg("未完成的測試（可繼續）", "Unfinished tests (resume)"),
    "home.none": Msg("（無）", "(none)"),
    "home.col.agency": Msg("受測機關", "Agency"),
    "home.col.unit": Msg("業務單位", "Unit"),
    "home.col.first": Msg("上次撥打", "Last call"),
    "home.col.due": Msg("重測時間", "Retest at"),
    "home.col.countdown": Msg("倒數", "In"),
    "home.col.started": Msg("開始時間", "Started"),
    "home.col.state": Msg("狀態", "Status"),
    "home.due_now": Msg("可重測", "due now"),
    "home.due_notify": Msg("{agency} 已可重測（{due}）", "{agency}: the retest is due ({due})"),
    "home.state.calling": Msg("通話中", "in a call"),
    "home.state.review": Msg("待評分", "to review"),
    "home.state.pending": Msg("待重測", "waiting for a retest"),
    "home.state.form": Msg("填寫中", "being filled in"),
    "home.db": Msg("資料庫：{path}", "Database: {path}"),
    "home.loading": Msg("讀取評核紀錄中…（{done}/{total} 個年度）",
                        "Reading the records… ({done} of {total} years)"),
    "home.db_created": Msg("已建立新的資料庫：{path}", "Created a new database: {path}"),
    "home.db_older": Msg("舊版的預設位置另有一個資料庫：{path}。要使用它：callcheck --db {path}",
                         "Another database is where callcheck used to look: {path}. "
                         "To use it: callcheck --db {path}"),
    "home.unavailable": Msg("此功能尚未提供", "not available in this version"),
    "home.nothing_selected": Msg("請先選擇一筆", "select a row first"),
    "history.draft_from_home": Msg("草稿請從首頁繼續", "resume a draft from the home screen"),
    "home.no_drafts": Msg("沒有未完成的測試", "no unfinished test to resume"),
    "home.pick_first": Msg("請先用 ↑↓ 選擇；或按 {key_new_call} 新電話測試、"
                           "{key_resume} 繼續未完成的測試",
                           "pick with ↑ ↓ first; or press {key_new_call} for a new test, "
                           "{key_resume} to resume"),
    # setup
    "setup.title": Msg("測試前設定", "Before dialling"),
    "setup.route": Msg("撥打方式", "How the agency is reached"),
    "setup.route.switchboard": Msg("經總機", "Via switchboard"),
    "setup.route.direct": Msg("直撥業務單位", "Direct to unit"),
    "setup.has_ivr": Msg("總機設有電話語音系統", "The switchboard has a voice system"),
    "setup.has_operator": Msg("總機設有總機人員", "The switchboard has an operator"),
    "setup.question": Msg("預定詢問的問題（選填）", "Question to ask (optional)"),
    "setup.required": Msg("請填寫「{field}」", "Fill in \"{field}\""),
    # live
    "live.attempt": Msg("第 {n} 次撥打", "attempt {n}"),
    "live.waiting": Msg("等待第一聲鈴響", "waiting for the first ring"),
    "live.seconds": Msg("秒", "s"),
    "live.rings": Msg("已標記 {rings} 聲，依每 {cadence} 秒一聲應有 {expected} 聲",
                      "{rings} rings marked, {expected} expected at one per {cadence} s"),
    "live.rings_none": Msg("鈴響：按{key_ring}標記每一聲",
                           "rings: press {key_ring} at each ring"),
    "live.rings_behind": Msg("（少標記鈴響：計分依推算 {used} 聲）",
                             " (rings under-marked: scored as {used})"),
    "live.cadence_proposal": Msg("鈴響約每 {cadence} 秒一聲：按 {key_cadence} 採用",
                                 "rings about {cadence} s apart: {key_cadence} adopts it"),
    "live.cadence_adopted": Msg("本階段鈴響間隔改為每 {cadence} 秒一聲（{key_undo} 可復原）",
                                "this phase now counts one ring every {cadence} s "
                                "({key_undo} to undo)"),
    "live.busy": Msg("忙線：依總機人員的處理作答 1.3.7；有人接手按 {key_answer}，"
                     "無人接手按 {key_give_up}",
                     "busy: answer how the operator handled it; {key_answer} if someone "
                     "takes the call, {key_give_up} if nobody does"),
    "live.ended_dropped": Msg("斷線：本次撥打不計分。按 {key_continue} 立即重撥（第 {n} 次撥打）",
                              "The line dropped: this attempt is not scored. Press "
                              "{key_continue} to dial again now (attempt {n})"),
    "live.points_now": Msg("此刻接聽可得 {points} / {max} 分", "answered now: {points} / {max}"),
    "live.points_got": Msg("得分 {points} / {max}", "scored {points} / {max}"),
    "live.late": Msg("已逾 {rings} 聲 / {seconds} 秒：開始扣分",
                     "past {rings} rings / {seconds} s: points are being lost"),
    "live.may_hang_up": Msg("已達 {rings} 聲或 {seconds} 秒：可掛斷，按 {key_give_up} 記無人接聽",
                            "{rings} rings or {seconds} s reached: you may hang up "
                            "({key_give_up})"),
    "live.answered_rings_missed": Msg(
        "已接聽：標記 {rings} 聲，依 {seconds} 秒推算 {expected} 聲，計分依推算聲數",
        "Answered: {rings} rings marked, {expected} implied by {seconds} s; the score "
        "counts {expected}"),
    "live.outcome.answered": Msg("接聽", "answered"),
    "live.outcome.unanswered": Msg("無人接聽", "unanswered"),
    "live.outcome.out_of_order": Msg("電話故障", "out of order"),
    "live.outcome.auto_transfer": Msg("自動轉接", "auto transfer"),
    "live.ended_review": Msg("通話結束：按 {key_continue} 進入評分",
                             "Call ended: press {key_continue} to review"),
    "live.ended_pending": Msg("總機無人接聽：請於 {due}（{roc}）之後重測，還要 {wait}。"
                              "按 {key_continue} 回首頁",
                              "The switchboard did not answer: retest from {due} ({roc}), "
                              "in {wait}. Press {key_continue} for home"),
    "live.pending_saved": Msg("已存為待重測，重測時間 {due}",
                              "Saved as waiting for a retest at {due}"),
    "live.pick_branch": Msg("{item}：先選甲或乙，再選級距",
                            "{item}: the branch first, then its band"),
    "live.discard_title": Msg("放棄這通測試？", "Discard this call?"),
    "live.discard_body": Msg("這通測試的草稿將刪除，不會存入評核紀錄；其他紀錄都不變。",
                             "The call's draft is deleted and nothing is stored; "
                             "everything else stays as it is."),
    "live.discard_retest_body": Msg(
        "第 {n} 次撥打將刪除；此測試仍待重測，先前的撥打紀錄都不變。",
        "Attempt {n} is deleted; the test still waits for its retest and the earlier "
        "attempt stays as it is."),
    "live.discard": Msg("放棄", "Discard"),
    "live.discarded": Msg("已放棄這通測試", "The call was discarded"),
    "live.prompts": Msg("{phase}　評核項目", "{phase}: items"),
    "live.prompts_none": Msg("此階段無需作答的項目", "nothing to answer in this phase"),
    "live.selected": Msg("選取：", "Selected: "),
    "live.note": Msg("紀錄事項：", "Note: "),
    "live.question": Msg("預定詢問：", "To ask: "),
    "live.timeline": Msg("時間軸", "Timeline"),
    "live.more_items": Msg("本階段尚有 {n} 項請於評分時作答",
                           "{n} more items: answer them in review"),
    "mark.dial": Msg("撥號", "dial"),
    "mark.ring": Msg("鈴響", "ring"),
    "mark.answer": Msg("接聽", "answered"),
    "mark.transfer": Msg("轉接", "transfer"),
    "mark.give_up": Msg("無人接聽", "unanswered"),
    "mark.out_of_order": Msg("電話故障", "out of order"),
    "mark.auto_transfer": Msg("自動轉接", "auto transfer"),
    "mark.busy": Msg("忙線", "busy"),
    "mark.dropped": Msg("斷線", "drop"),
    "mark.cadence": Msg("鈴響間隔", "ring cadence"),
    "mark.hang_up": Msg("結束通話", "end call"),
    "mark.undo": Msg("復原", "undo"),
    # review
    "review.title": Msg("評分", "Review"),
    "review.col.id": Msg("項目", "Item"),
    "review.col.label": Msg("評核內容", "What is assessed"),
    "review.col.answer": Msg("作答", "Answer"),
    "review.col.points": Msg("得分", "Points"),
    "review.col.reason": Msg("理由", "Reason"),
    "review.col.note": Msg("評核紀錄事項", "Tester's note"),
    "review.missing_answer": Msg("（待作答）", "(to answer)"),
    "review.total": Msg("合計 {points} / {max} 分，得分 {score}（滿分 100）",
                        "Total {points} / {max}, score {score} out of 100"),
    "review.total_so_far": Msg("目前 {points} / {max} 分（尚缺 {n} 項，未計入）",
                               "So far {points} / {max} ({n} not answered yet, not counted)"),
    "review.missing": Msg("尚缺 {n} 項：{ids}", "{n} still to answer: {ids}"),
    "review.dropped": Msg("通話未到達的作答將捨棄：{ids}",
                          "answers the call never reached will be dropped: {ids}"),
    "review.complete": Msg("所有項目皆已作答，按 {key_finish} 完成評分",
                           "Every item is answered: press {key_finish} to finish"),
    "review.measured": Msg("{id} 由通話計時得出，無法在此更改",
                           "{id} is measured from the call and cannot be changed here"),
    "review.by_rule": Msg("{id} 依表單規定計分", "{id} is scored by a rule of the form"),
    "review.na_reason": Msg("「{id}」不適用的理由（必填）",
                            "Why \"{id}\" does not apply (required)"),
    "review.note_prompt": Msg("「{id}」評核紀錄事項", "Tester's note on \"{id}\""),
    "review.na_cleared": Msg("{id} 已取消不適用", "{id} applies again"),
    "review.na_part_reason": Msg("「{id}」整部分不適用的理由（必填）",
                                 "Why does all of “{id}” not apply? (required)"),
    "review.na_part_cleared": Msg("{id} 整部分已取消不適用", "All of {id} applies again"),
    "review.finished": Msg("已完成：{score} 分", "Finished: {score} points"),
    "review.cannot_finish": Msg("尚無法完成評分：{error}", "Cannot finish yet: {error}"),
    "review.dropped_done": Msg("已捨棄通話未到達的作答：{ids}",
                               "Dropped answers the call never reached: {ids}"),
    "review.na_label": Msg("不適用：", "N/A: "),
    "review.rings_disagree": Msg(
        "鈴響與秒數不符：標記 {marked} 聲，依 {seconds} 秒推算 {implied} 聲，計分依推算聲數。"
        "確定標記無誤者，按 {key_rings} 更正（需理由，列入修訂紀錄）",
        "Rings and seconds disagree: {marked} marked, {implied} implied by {seconds} s; "
        "the score counts {implied}. If you are sure of your marks, press {key_rings} to "
        "correct "
        "them (with a reason, kept in the revisions)"),
    "review.rings_none": Msg("{id} 的鈴響與秒數相符，無需更正",
                             "{id}: rings and seconds agree, nothing to correct"),
    "review.rings_prompt": Msg("「{phase}」實際鈴響聲數（標記 {marked} 聲，推算 {implied} 聲）",
                               "How many rings did the {phase} ring? ({marked} marked, "
                               "{implied} implied)"),
    "review.rings_reason": Msg("更正為 {rings} 聲的理由（必填）",
                               "Why {rings} rings? (required)"),
    "review.rings_bad": Msg("請輸入鈴響聲數（1 以上的整數）",
                            "Give the number of rings (a whole number from 1)"),
    "review.rings_done": Msg("已更正為 {rings} 聲，列入修訂紀錄",
                             "Corrected to {rings} rings; kept in the revisions"),
    "review.rule": Msg("依規定", "by rule"),
    # prompts and errors
    "prompt.empty": Msg("此欄必填：請寫明理由（Enter 確定，{key_cancel} 取消）",
                         "Required: write the reason (Enter to keep, {key_cancel} to cancel)"),
    "store.damaged": Msg("資料庫中有 {n} 筆評核紀錄損毀（保持原狀）：{items}。"
                         "列在評核紀錄，狀態選「損毀」",
                         "{n} stored session(s) are damaged (left as they are): {items}. "
                         "Listed in History, status filter “damaged”"),
    "error.store": Msg("儲存失敗：{error}", "Saving failed: {error}"),
    "error.worker": Msg("背景工作失敗：{error}", "A background task failed: {error}"),
    "help.title": Msg("按鍵說明", "Keys"),
    "help.everything": Msg(
        "本畫面能做的事都在上表的按鍵上（頁尾也列出常用的）；沒有指令面板，Ctrl+P 不做任何事。",
        "Everything this screen does is on the keys above (the footer shows the usual ones); "
        "there is no command palette: Ctrl+P does nothing."),
    "help.key": Msg("按鍵", "Key"),
    "help.what": Msg("功能", "What it does"),
    "help.repeat": Msg("計時鍵按住不放的自動重複會被忽略（同一鍵 {window} 秒內再按不計）",
                       "A held timing key's auto-repeat is ignored (the same key again within "
                       "{window} s does not count)"),
    "date.today": Msg("今天", "Today"),
    # shared
    "ok": Msg("確定", "OK"),
    "all": Msg("全部", "All"),
    "yes": Msg("是", "Yes"),
    "no": Msg("否", "No"),
    "status.draft": Msg("草稿", "draft"),
    "status.pending_retest": Msg("待重測", "waiting for a retest"),
    "status.finished": Msg("已完成", "finished"),
    "status.damaged": Msg("損毀", "damaged"),
    "due_at": Msg("{time} 可重測", "retest at {time}"),
    "error": Msg("錯誤：{message}", "Error: {message}"),
    "saved": Msg("已儲存：{what}", "Saved: {what}"),
    # history
    "history.title": Msg("評核紀錄", "History"),
    "history.col.roc": Msg("民國日期", "ROC date"),
    "history.col.at": Msg("日期時間", "Date and time"),
    "history.col.form": Msg("表別", "Form"),
    "history.col.agency": Msg("受測機關", "Agency"),
    "history.col.unit": Msg("業務單位", "Unit"),
    "history.col.tester": Msg("測試人員", "Tester"),
    "history.col.status": Msg("狀態", "Status"),
    "history.col.score": Msg("分數", "Score"),
    "history.form": Msg("表別", "Form"),
    "history.status": Msg("狀態", "Status"),
    "history.since": Msg("起日", "From"),
    "history.until": Msg("迄日", "To"),
    "history.search": Msg("搜尋機關、單位、人員、紀錄事項", "Search agency, unit, tester, notes"),
    "history.date_hint": Msg("2026-11-01 或 115/11/01", "2026-11-01 or 115/11/01"),
    "history.loading": Msg("讀取中…", "Loading…"),
    "history.count": Msg("顯示 {shown} / {total} 筆　排序：{column} {arrow}　待重測 {pending} 筆",
                         "{shown} of {total} shown   sorted by {column} {arrow}   "
                         "{pending} pending retest"),
    "history.due_now": Msg("待重測 可重測", "retest due"),
    "history.due_at": Msg("待重測 {time}", "retest {time}"),
    "history.empty": Msg("沒有符合條件的紀錄", "No session matches"),
    "history.damaged.title": Msg("損毀的評核紀錄，無法開啟",
                                 "A damaged session: it cannot be opened"),
    "history.damaged.body": Msg("{id}\n原因：{reason}\n可刪除（無法復原）或保持原狀。",
                                "{id}\nWhy: {reason}\nDelete it (cannot be undone) or "
                                "leave it as it is."),
    "history.bad_date": Msg("日期看不懂：{text}", "Not a date: {text}"),
    "key.search": Msg("搜尋", "Search"),
    "key.sort": Msg("換排序欄", "Sort column"),
    "key.reverse": Msg("反向排序", "Reverse"),
    "key.export": Msg("匯出", "Export"),
    "key.summary": Msg("單位統計", "By unit"),
    "key.clear": Msg("清除篩選", "Clear filter"),
    # detail
    "detail.title": Msg("評核紀錄明細", "Session"),
    "detail.header": Msg("基本資料", "Header"),
    "detail.context": Msg("撥打方式", "How the agency is reached"),
    "detail.route": Msg("路徑", "Route"),
    "detail.route.switchboard": Msg("總機", "switchboard"),
    "detail.route.direct": Msg("直撥", "direct line"),
    "detail.has_ivr": Msg("電話語音系統", "Voice system"),
    "detail.has_operator": Msg("總機人員", "Operator"),
    "detail.question": Msg("詢問事項", "Question asked"),
    "detail.number": Msg("總機/電話", "Number called"),
    "detail.status": Msg("狀態", "Status"),
    "detail.id": Msg("編號", "Id"),
    "detail.attempt": Msg("第 {n} 次撥打　{when}", "Attempt {n}   {when}"),
    "detail.no_marks": Msg("（無計時紀錄）", "(no marks)"),
    "detail.mark.t": Msg("秒數", "Seconds"),
    "detail.mark.clock": Msg("時刻", "Clock"),
    "detail.mark.phase": Msg("階段", "Phase"),
    "detail.mark.what": Msg("事件", "What"),
    "detail.items": Msg("評核項目", "Items"),
    "detail.item.id": Msg("項目", "Item"),
    "detail.item.label": Msg("評核內容", "What is assessed"),
    "detail.item.points": Msg("得分", "Points"),
    "detail.item.reason": Msg("理由", "Reason"),
    "detail.item.note": Msg("評核紀錄事項", "Tester's note"),
    "detail.item.answer": Msg("作答", "Answer"),
    "detail.item_status.scored": Msg("計分", "scored"),
    "detail.item_status.unreached": Msg("未能進行", "unreached"),
    "detail.item_status.rule": Msg("依規定", "by rule"),
    "detail.item_status.na": Msg("不適用", "not applicable"),
    "detail.total": Msg("總分 {points} / {max}　得分 {score}",
                        "Total {points} / {max}   score {score}"),
    "detail.no_result": Msg("尚未計分", "not scored yet"),
    "detail.revisions": Msg("修改紀錄", "Revisions"),
    "detail.no_revisions": Msg("（未曾修改）", "(never revised)"),
    "detail.revision": Msg("{when}　{by}　理由：{reason}", "{when}   {by}   reason: {reason}"),
    "detail.change": Msg("　{field}：{old} → {new}", "   {field}: {old} → {new}"),
    "detail.empty_value": Msg("（空）", "(empty)"),
    "detail.deleted": Msg("已刪除：{what}", "Deleted: {what}"),
    "detail.revised": Msg("已修改並重新計分：{what}", "Revised and rescored: {what}"),
    "detail.not_editable": Msg("此項由通話計時推算，請修改其他項目",
                               "This item comes from the call's timeline and is not edited"),
    "key.header": Msg("更改基本資料", "Change header"),
    "key.delete": Msg("刪除", "Delete"),
    "key.print": Msg("列印", "Print"),
    "key.finish_print": Msg("完成並列印", "Finish and print"),
    "print.done": Msg("評核表已寫入 {path}", "The form was written to {path}"),
    "print.failed": Msg("評核表未能寫入 {path}：{error}", "The form was not written to {path}: "
                        "{error}"),
    "revise.title": Msg("修改：{what}", "Change: {what}"),
    "revise.reason": Msg("修改理由（必填）", "Reason for the change (required)"),
    "revise.by": Msg("修改人", "Changed by"),
    "revise.reason_required": Msg("請填寫修改理由", "A reason is required"),
    "revise.value": Msg("新的內容", "New value"),
    "revise.na_reason": Msg("不適用理由（留空表示適用）",
                            "Why it does not apply (empty: it applies)"),
    "delete.title": Msg("確定刪除這筆紀錄？", "Delete this session?"),
    "delete.body": Msg("{what}\n刪除後無法復原。", "{what}\nThis cannot be undone."),
    "delete.confirm": Msg("刪除", "Delete"),
    # form
    "form.title": Msg("{form}　評核表", "{form}   assessment form"),
    "form.unanswered": Msg("未答", "not answered"),
    "form.na": Msg("不適用：{reason}", "not applicable: {reason}"),
    "form.note": Msg("紀錄事項：{note}", "note: {note}"),
    "form.missing": Msg("尚未完成：{message}", "Not complete: {message}"),
    "form.total": Msg("目前得分 {points} / {max}　分數 {score}",
                      "Points {points} / {max}   score {score}"),
    "form.header_missing": Msg("請填寫「{label}」", "Please fill in '{label}'"),
    "form.pick": Msg("請選擇", "Choose"),
    "form.discard_title": Msg("放棄這份評核表？", "Discard this form?"),
    "form.discard_body": Msg("已填寫的內容（草稿）將刪除，不會存入評核紀錄；其他紀錄都不變。",
                             "What was entered (the draft) is deleted and nothing is stored; "
                             "everything else stays as it is."),
    "form.discard": Msg("放棄", "Discard"),
    "form.kept": Msg("已存為草稿，可從首頁繼續填寫", "Kept as a draft: resume it from home"),
    "form.points_given": Msg("給 {points} 分", "{points} points"),
    "form.points": Msg("得分", "Points"),
    "form.cases": Msg("抽樣案件（收文日、回復日）", "Sampled cases (received, replied)"),
    "form.received": Msg("收文日", "Received"),
    "form.replied": Msg("回復日", "Replied"),
    "form.add_case": Msg("新增案件", "Add a case"),
    "form.days": Msg("{days}：{band}（可給 {span} 分）", "{days}: {band} (allowed {span} points)"),
    "form.days_none": Msg("請輸入收文日與回復日（YYYY-MM-DD）",
                          "Enter the dates received and replied (YYYY-MM-DD)"),
    "form.case_error": Msg("案件 {n}：{message}", "Case {n}: {message}"),
    "form.case_bad_date": Msg("「{text}」不是日期（2026-10-01 或 115/10/01）",
                              "'{text}' is not a date (2026-10-01 or 115/10/01)"),
    "form.case_order": Msg("回復日早於收文日", "replied before it was received"),
    "form.days_bad": Msg("天數須為 0 以上的數字", "days must be a number, 0 or more"),
    "form.note_prompt": Msg("評核紀錄事項（{item}）", "Tester's note ({item})"),
    "form.na_prompt": Msg("不適用理由（{item}）", "Why {item} does not apply"),
    "key.yes": Msg("是", "Yes"),
    "key.no": Msg("否", "No"),
    "key.clear_answer": Msg("清除", "Clear"),
    "export.title": Msg("匯出 {n} 筆紀錄", "Export {n} sessions"),
    "export.format": Msg("格式", "Format"),
    "export.path": Msg("存放位置", "Save to"),
    "export.go": Msg("匯出", "Export"),
    "export.done": Msg("已匯出 {n} 筆至 {path}", "Exported {n} sessions to {path}"),
    "export.failed": Msg("匯出失敗：{message}", "Export failed: {message}"),
    "export.exists": Msg("檔案已存在，再按一次匯出即覆寫",
                         "The file exists; export again to replace it"),
    "export.is_database": Msg("此檔案屬於評核資料庫（主檔、日誌、備份、鎖或草稿），請另取檔名",
                              "This file is part of the database (main file, journal, "
                              "backups, lock or drafts); choose another name"),
    # summary
    "summary.title": Msg("各單位評核統計", "Results by unit"),
    "summary.col.count": Msg("次數", "Tests"),
    "summary.col.average": Msg("平均", "Average"),
    "summary.col.latest": Msg("最近", "Latest"),
    "summary.col.latest_at": Msg("最近日期", "Latest on"),
    "summary.col.change": Msg("較前次", "Change"),
    "summary.empty": Msg("篩選範圍內沒有已完成的紀錄", "No finished session in the filter"),
    "summary.losses": Msg("失分項目排行（各項目於篩選範圍內失分合計）",
                          "Where the points are lost (each item's points lost in the filter)"),
    "summary.col.rank": Msg("名次", "Rank"),
    "summary.col.lost": Msg("失分合計", "Points lost"),
    "summary.col.share": Msg("失分率", "Share lost"),
    "summary.col.losing": Msg("失分次數", "Tests losing"),
    "summary.trend": Msg("{form}成績趨勢（{by}，{first}–{last}）",
                         "{form} trend ({by}, {first}–{last})"),
    "summary.by.month": Msg("按月", "by month"),
    "summary.by.quarter": Msg("按季", "by quarter"),
    "summary.count": Msg("{units} 個單位，{sessions} 筆已完成紀錄",
                         "{units} units, {sessions} finished sessions"),

    # the command line (callcheck list, pending, delete, edit, verify, import)
    "cli.retest_at": Msg("重測時間 {time}", "retest at {time}"),
    "cli.due_in": Msg("還要 {wait}", "due in {wait}"),
    "cli.deleted": Msg("已刪除 {label}", "deleted {label}"),
    "cli.would_delete": Msg("將刪除 {label}；加 --yes 確認", "would delete {label}; "
                            "add --yes to confirm"),
    "cli.revised": Msg("已修訂 {id}：{n} 項變更；分數 {score}",
                       "revised {id}: {n} change(s); score {score}"),
    "cli.sealed": Msg("已封存：{id}（內容摘要 {digest}）",
                      "sealed: session {id} (digest {digest})"),
    "cli.sealed_count": Msg("內容摘要啟用之前完成的 {n} 筆紀錄已封存，每筆留有修訂紀錄",
                            "{n} finished sessions stored before content digests existed are "
                            "sealed now, each marked by a revision"),
    "cli.unsealed": Msg("{n} 筆已完成紀錄存於內容摘要啟用之前：未封存，內容無法核對"
                        "（`callcheck verify --seal` 封存之，每筆留有修訂紀錄）",
                        "{n} finished sessions were stored before content digests existed: "
                        "unsealed, their content cannot be checked (`callcheck verify --seal` "
                        "seals them, each marked by a revision)"),
    "cli.verify_bad": Msg("{checked} 筆已完成紀錄中有 {bad} 筆與內容摘要不符",
                          "{bad} of {checked} finished sessions do not match their digest"),
    "cli.verify_ok": Msg("已核對 {checked} 筆已完成紀錄：全部與內容摘要相符",
                         "{checked} finished sessions checked: every one matches its digest"),
    "import.added": Msg("新增 {n} 筆", "{n} added"),
    "import.identical": Msg("{n} 筆已存在", "{n} already there"),
    "import.modified": Msg("{n} 筆內容與摘要不符仍匯入（已標記）",
                           "{n} accepted although modified (marked)"),
    "import.conflicts": Msg("{n} 筆與已存紀錄不同（保留已存的）",
                            "{n} conflicting (kept the stored copy)"),
    "import.deleted": Msg("{n} 筆先前已在此刪除（未恢復）",
                          "{n} deleted here earlier (not brought back)"),
    "import.invalid": Msg("{n} 筆無效（略過）", "{n} invalid (skipped)"),
    "import.duplicates": Msg("{n} 筆重複出現且內容不同（略過）",
                             "{n} given twice with different content (skipped)"),
    "import.sep": Msg("，", ", "),
}


KEY_FIELD = re.compile(r"\{key_(\w+)\}")
"""A sentence names a key by the binding's id: `按 {key_give_up} 記無人接聽`."""


def tr(key: str, lang: Lang, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` fields filled in, `{key_<id>}` fields with
    the key `KEYS` binds to `id` (so a sentence says the key the footer shows)."""
    text = WORDS[key].get(lang)
    if "{key_" in text:
        values = {f"key_{id}": key_name(id, lang) for id in KEY_FIELD.findall(text)} | values
    return text.format(**values) if values else text


def msg(key: str) -> Msg:
    return WORDS[key]


def status_word(status: str, lang: Lang) -> str:
    """A session status as the app names it (an unknown one as it is stored)."""
    found = WORDS.get(f"status.{status}")
    return found.get(lang) if found is not None else status


def width(text: str) -> int:
    """Columns `text` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    """`text` filled with spaces to `columns` terminal columns."""
    return text + " " * max(0, columns - width(text))
