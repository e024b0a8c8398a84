"""Value labels for display: codes shown as words, numbers never changed."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from impactkit.errors import DataError, MissingColumnError
from impactkit.readers import labelled


def test_labelled_shows_words_in_code_order() -> None:
    frame = pd.DataFrame({"female_head": [1, 0, 1, None], "y": [2.0, 3.0, 4.0, 5.0]})
    shown = labelled(frame, {"female_head": {0: "male-headed", 1: "female-headed"}})
    assert shown["female_head"].tolist()[:3] == ["female-headed", "male-headed", "female-headed"]
    assert pd.isna(shown["female_head"].iloc[3])
    assert list(shown["female_head"].cat.categories) == ["male-headed", "female-headed"]
    assert frame["female_head"].tolist()[:3] == [1, 0, 1]  # input untouched
    pd.testing.assert_series_equal(shown["y"], frame["y"])


def test_unlabelled_codes_show_as_text_and_text_codes_work() -> None:
    frame = pd.DataFrame({"region": [1, 2, 3], "answer": ["y", "n", "y"]})
    shown = labelled(frame, {"region": {1: "North"}, "answer": {"y": "Yes", "n": "No"}})
    assert shown["region"].tolist() == ["North", "2", "3"]
    assert shown["answer"].tolist() == ["Yes", "No", "Yes"]


def test_labels_that_would_merge_groups_are_refused() -> None:
    frame = pd.DataFrame({"q": [1, 2, 3]})
    with pytest.raises(DataError, match=r"column 'q': codes 1 and 2 would both show as 'Yes'"):
        labelled(frame, {"q": {1: "Yes", 2: "Yes"}})
    with pytest.raises(DataError, match="codes 2 and 3 would both show as '2'"):
        labelled(frame, {"q": {3: "2"}})
    with pytest.raises(MissingColumnError, match="labels: column 'r'"):
        labelled(frame, {"r": {1: "x"}})


@given(
    codes=st.lists(st.integers(-3, 6), min_size=1, max_size=30),
    names=st.dictionaries(st.integers(-3, 6), st.text(min_size=1, max_size=5), max_size=10),
    data=st.data(),
)
def test_property_a_label_mapping_never_changes_any_number(
    codes: list[int], names: dict[int, str], data: st.DataObject
) -> None:
    y = data.draw(st.lists(st.floats(-1e6, 1e6), min_size=len(codes), max_size=len(codes)))
    frame = pd.DataFrame({"g": codes, "y": y})
    before = frame.copy()
    try:
        shown = labelled(frame, {"g": names})
    except DataError:
        texts = [names.get(c, str(c)) for c in sorted(set(codes))]
        assert len(set(texts)) < len(texts)  # refused only when two groups would merge
        return
    pd.testing.assert_frame_equal(frame, before)
    pd.testing.assert_series_equal(shown["y"], frame["y"])
    by_code = frame.groupby("g")["y"].agg(["sum", "size"])
    by_label = shown.groupby("g", observed=True)["y"].agg(["sum", "size"])
    assert by_label["size"].tolist() == by_code["size"].tolist()  # same groups, same order
    assert by_label["sum"].tolist() == by_code["sum"].tolist()
    for code, label in zip(by_code.index, by_label.index, strict=True):
        assert label == names.get(code, str(code))
