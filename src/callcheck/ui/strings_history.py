"""The words of the history, detail, form, export and summary screens, in both languages.

Traditional Chinese is the reference; English with `--lang en`. Keys are
grouped by screen. `tr(key, lang, **values)` formats one.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from textual.dom import DOMNode

from ..i18n import Lang, Msg, msg

TEXT: dict[str, Msg] = {
    # shared
    "back": msg("返回", "Back"),
    "key.back": msg("返回", "Back"),
    "cancel": msg("取消", "Cancel"),
    "ok": msg("確定", "OK"),
    "all": msg("全部", "All"),
    "yes": msg("是", "Yes"),
    "no": msg("否", "No"),
    "status.draft": msg("草稿", "draft"),
    "status.pending_retest": msg("待重測", "pending retest"),
    "status.finished": msg("已完成", "finished"),
    "due_now": msg("已可重測", "due now"),
    "due_at": msg("{time} 可重測", "retest at {time}"),
    "error": msg("錯誤：{message}", "Error: {message}"),
    "saved": msg("已儲存：{what}", "Saved: {what}"),
    # history
    "history.title": msg("評核紀錄", "History"),
    "history.col.roc": msg("民國日期", "ROC date"),
    "history.col.at": msg("日期時間", "Date and time"),
    "history.col.form": msg("表別", "Form"),
    "history.col.agency": msg("機關", "Agency"),
    "history.col.unit": msg("業務單位", "Unit"),
    "history.col.tester": msg("測試人員", "Tester"),
    "history.col.status": msg("狀態", "Status"),
    "history.col.score": msg("分數", "Score"),
    "history.form": msg("表別", "Form"),
    "history.status": msg("狀態", "Status"),
    "history.since": msg("起日", "From"),
    "history.until": msg("迄日", "To"),
    "history.search": msg("搜尋機關、單位、人員、紀錄事項", "Search agency, unit, tester, notes"),
    "history.date_hint": msg("2026-11-01 或 115/11/01", "2026-11-01 or 115/11/01"),
    "history.loading": msg("讀取中…", "Loading…"),
    "history.count": msg("顯示 {shown} / {total} 筆　排序：{column} {arrow}　待重測 {pending} 筆",
                         "{shown} of {total} shown   sorted by {column} {arrow}   "
                         "{pending} pending retest"),
    "history.due_now": msg("待重測 可重測", "retest due"),
    "history.due_at": msg("待重測 {time}", "retest {time}"),
    "history.empty": msg("沒有符合條件的紀錄", "No session matches"),
    "history.bad_date": msg("日期看不懂：{text}", "Not a date: {text}"),
    "key.open": msg("開啟", "Open"),
    "key.search": msg("搜尋", "Search"),
    "key.sort": msg("換排序欄", "Sort column"),
    "key.reverse": msg("反向排序", "Reverse"),
    "key.export": msg("匯出", "Export"),
    "key.summary": msg("單位統計", "By unit"),
    "key.clear": msg("清除篩選", "Clear filter"),
    # detail
    "detail.title": msg("評核紀錄明細", "Session"),
    "detail.header": msg("基本資料", "Header"),
    "detail.context": msg("撥打方式", "How it was reached"),
    "detail.route": msg("路徑", "Route"),
    "detail.route.switchboard": msg("總機", "switchboard"),
    "detail.route.direct": msg("直撥", "direct line"),
    "detail.has_ivr": msg("電話語音系統", "Voice system"),
    "detail.has_operator": msg("總機人員", "Operator"),
    "detail.question": msg("詢問事項", "Question asked"),
    "detail.number": msg("總機/電話", "Number called"),
    "detail.status": msg("狀態", "Status"),
    "detail.id": msg("編號", "Id"),
    "detail.attempt": msg("第 {n} 次撥打　{when}", "Attempt {n}   {when}"),
    "detail.no_marks": msg("（無計時紀錄）", "(no marks)"),
    "detail.mark.t": msg("秒", "Seconds"),
    "detail.mark.clock": msg("時刻", "Clock"),
    "detail.mark.phase": msg("階段", "Phase"),
    "detail.mark.what": msg("事件", "What"),
    "detail.items": msg("評核項目", "Items"),
    "detail.item.id": msg("項目", "Item"),
    "detail.item.label": msg("評核內容", "What is assessed"),
    "detail.item.points": msg("得分", "Points"),
    "detail.item.reason": msg("理由", "Reason"),
    "detail.item.note": msg("評核紀錄事項", "Tester's note"),
    "detail.item.answer": msg("作答", "Answer"),
    "detail.item_status.scored": msg("計分", "scored"),
    "detail.item_status.unreached": msg("未能進行", "unreached"),
    "detail.item_status.rule": msg("依規定", "by rule"),
    "detail.item_status.na": msg("不適用", "not applicable"),
    "detail.total": msg("總分 {points} / {max}　得分 {score}",
                        "Total {points} / {max}   score {score}"),
    "detail.no_result": msg("尚未計分", "not scored yet"),
    "detail.revisions": msg("修改紀錄", "Revisions"),
    "detail.no_revisions": msg("（未曾修改）", "(never revised)"),
    "detail.revision": msg("{when}　{by}　理由：{reason}", "{when}   {by}   reason: {reason}"),
    "detail.change": msg("　{field}：{old} → {new}", "   {field}: {old} → {new}"),
    "detail.empty_value": msg("（空）", "(empty)"),
    "detail.deleted": msg("已刪除：{what}", "Deleted: {what}"),
    "detail.revised": msg("已修改並重新計分：{what}", "Revised and rescored: {what}"),
    "detail.not_editable": msg("此項由通話計時推算，請修改其他項目",
                               "This item comes from the call's timeline and is not edited"),
    "key.edit": msg("修改作答", "Edit answer"),
    "key.note": msg("修改紀錄事項", "Edit note"),
    "key.na": msg("不適用", "Not applicable"),
    "key.header": msg("修改基本資料", "Edit header"),
    "key.delete": msg("刪除", "Delete"),
    "mark.dial": msg("撥號", "dial"),
    "mark.ring": msg("響鈴", "ring"),
    "mark.answer": msg("接聽", "answer"),
    "mark.transfer": msg("轉接", "transfer"),
    "mark.give_up": msg("無人接聽，掛斷", "unanswered, gave up"),
    "mark.out_of_order": msg("電話故障", "out of order"),
    "mark.auto_transfer": msg("自動轉接", "automatic transfer"),
    "mark.hang_up": msg("掛斷", "hang up"),
    "mark.undo": msg("取消上一筆", "undo"),
    # revise and delete dialogs
    "revise.title": msg("修改：{what}", "Change: {what}"),
    "revise.reason": msg("修改理由（必填）", "Reason for the change (required)"),
    "revise.by": msg("修改人", "Changed by"),
    "revise.reason_required": msg("請填寫修改理由", "A reason is required"),
    "revise.value": msg("新的內容", "New value"),
    "revise.na_reason": msg("不適用理由（留空表示適用）",
                            "Why it does not apply (empty: it applies)"),
    "delete.title": msg("確定刪除這筆紀錄？", "Delete this session?"),
    "delete.body": msg("{what}\n刪除後無法復原。", "{what}\nThis cannot be undone."),
    "delete.confirm": msg("刪除", "Delete"),
    # form
    "form.title": msg("{form}　評核表", "{form}   assessment form"),
    "form.unanswered": msg("未答", "not answered"),
    "form.na": msg("不適用：{reason}", "not applicable: {reason}"),
    "form.note": msg("紀錄事項：{note}", "note: {note}"),
    "form.missing": msg("尚未完成：{message}", "Not complete: {message}"),
    "form.total": msg("目前得分 {points} / {max}　分數 {score}",
                      "Points {points} / {max}   score {score}"),
    "form.header_missing": msg("請填寫「{label}」", "Please fill in '{label}'"),
    "form.pick": msg("請選擇", "Choose"),
    "form.discard_title": msg("放棄這份評核表？", "Leave this form?"),
    "form.discard_body": msg("已填寫的內容不會儲存。", "What was entered is not saved."),
    "form.discard": msg("放棄", "Leave it"),
    "form.points_given": msg("給 {points} 分", "{points} points"),
    "form.points": msg("給分", "Points"),
    "form.cases": msg("抽樣案件（收文日、回復日）", "Sampled cases (received, replied)"),
    "form.received": msg("收文日", "Received"),
    "form.replied": msg("回復日", "Replied"),
    "form.add_case": msg("新增案件", "Add a case"),
    "form.days": msg("{days}：{band}（可給 {span} 分）", "{days}: {band} (allowed {span} points)"),
    "form.days_none": msg("請輸入收文日與回復日（YYYY-MM-DD）",
                          "Enter the dates received and replied (YYYY-MM-DD)"),
    "form.case_error": msg("案件 {n}：{message}", "Case {n}: {message}"),
    "form.case_bad_date": msg("「{text}」不是日期（2026-10-01 或 115/10/01）",
                              "'{text}' is not a date (2026-10-01 or 115/10/01)"),
    "form.case_order": msg("回復日早於收文日", "replied before it was received"),
    "form.days_bad": msg("天數須為 0 以上的數字", "days must be a number, 0 or more"),
    "form.note_prompt": msg("評核紀錄事項（{item}）", "Tester's note ({item})"),
    "form.na_prompt": msg("不適用理由（{item}）", "Why {item} does not apply"),
    "key.yes": msg("是", "Yes"),
    "key.no": msg("否", "No"),
    "key.clear_answer": msg("清除", "Clear"),
    "key.save": msg("完成並儲存", "Finish and save"),
    # export
    "export.title": msg("匯出 {n} 筆紀錄", "Export {n} sessions"),
    "export.format": msg("格式", "Format"),
    "export.path": msg("存放位置", "Save to"),
    "export.go": msg("匯出", "Export"),
    "export.done": msg("已匯出 {n} 筆至 {path}", "Exported {n} sessions to {path}"),
    "export.failed": msg("匯出失敗：{message}", "Export failed: {message}"),
    "export.exists": msg("檔案已存在，再按一次匯出即覆寫",
                         "The file exists; export again to replace it"),
    # summary
    "summary.title": msg("各單位評核統計", "Results by unit"),
    "summary.col.count": msg("次數", "Tests"),
    "summary.col.average": msg("平均", "Average"),
    "summary.col.latest": msg("最近", "Latest"),
    "summary.col.latest_at": msg("最近日期", "Latest on"),
    "summary.col.change": msg("較前次", "Change"),
    "summary.empty": msg("篩選範圍內沒有已完成的紀錄", "No finished session in the filter"),
    "summary.count": msg("{units} 個單位，{sessions} 筆已完成紀錄",
                         "{units} units, {sessions} finished sessions"),
}


def tr(key: str, lang: Lang, **values: Any) -> str:
    """The text for `key` in `lang`, with `values` filled in."""
    text = TEXT[key].get(lang)
    return text.format(**values) if values else text


def localize(node: DOMNode, lang: Lang) -> None:
    """Give `node`'s bindings (each with an `id`) their `key.<id>` description in `lang`.

    The footer and the help screen are built from the same bindings, so both
    speak the UI's language (the same scheme as `ui.bindings.localize`).
    """
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [dataclasses.replace(b, description=TEXT[f"key.{b.id}"].get(lang))
                      if b.id and f"key.{b.id}" in TEXT else b for b in bindings]
