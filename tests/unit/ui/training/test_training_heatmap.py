"""The qualification heatmap reads without colour: every cell carries a mark for its status."""

from __future__ import annotations

from monitor.config import TOPICS
from monitor.training.qualifications import STATUSES, Cell, Row
from monitor.ui.training.training_charts import qualification_heatmap
from monitor.ui.training.training_labels import QUALIFICATION_MARKS


def test_each_cell_carries_the_mark_of_its_status() -> None:
    statuses = [STATUSES[i % len(STATUSES)] for i in range(len(TOPICS))]
    row = Row(1, "Fatima", {topic: Cell(status) for topic, status in zip(TOPICS, statuses, strict=True)})
    [trace] = qualification_heatmap([row], lambda text: text).data
    assert trace.texttemplate == "%{text}"
    assert list(trace.text[0]) == [QUALIFICATION_MARKS[s] for s in statuses]
    assert "%{customdata}" in trace.hovertemplate  # the word, on hover
    assert len(set(QUALIFICATION_MARKS.values())) == len(STATUSES)
