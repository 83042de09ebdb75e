"""Every bad upload gets a message naming the problem and where it is."""
import io

import pandas as pd
import pytest

from playground.data.tables import MAX_ROWS, TableProblem, neutralise, read_table, safe_csv


def rows(n=40):
    return "".join(f"{i % 3},{i * 0.5},{'ab'[i % 2]}\n" for i in range(n))


def problem(data: bytes) -> TableProblem:
    with pytest.raises(TableProblem) as caught:
        read_table(data)
    return caught.value


@pytest.mark.parametrize("sep,word", [(",", "CSV (comma"), ("\t", "TSV (tab"),
                                      (";", "semicolon"), ("|", "vertical bar")])
def test_the_delimiter_is_sniffed_and_named(sep, word):
    table = read_table(("a,b,c\n" + rows()).replace(",", sep).encode())
    assert table.columns == ["a", "b", "c"] and len(table) == 40
    assert word in table.notes[0]
    assert table.is_numeric("a") and not table.is_numeric("c")


def test_quoted_delimiters_inside_cells_do_not_split_them():
    table = read_table(b'name,score\n"Smith, J",1\n"Lee, K",2\n')
    assert table.frame["name"].tolist() == ["Smith, J", "Lee, K"]


def test_a_wrong_delimiter_leaves_one_column_and_says_so():
    assert "only one column" in str(problem(b"a b c\n1 2 3\n4 5 6\n"))


def test_a_file_without_header_is_told_its_first_row_looks_like_data():
    msg = str(problem(rows().encode()))
    assert "looks like data" in msg and "header row" in msg


def test_binary_junk_empty_files_and_bad_text_are_refused():
    assert "not a text table" in str(problem(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR"))
    assert "empty" in str(problem(b""))
    assert "empty" in str(problem(b"  \n\n"))
    msg = str(problem(b"a,b\n1,2\n\xff\xfe,3\n"))
    assert "line 3" in msg and "UTF-8" in msg


def test_duplicated_and_missing_column_names_are_named():
    assert "columns 1 and 3 are both named 'a'" in str(problem(b"a,b,a\n1,2,3\n"))
    assert "column 2 has no name" in str(problem(b"a,,c\n1,2,3\n"))


def test_a_row_with_too_many_cells_names_its_line():
    msg = str(problem(b"a,b\n1,2\n3,4\n5,6,7\n"))
    assert "line 4" in msg and "3 cells" in msg


def test_a_million_rows_are_refused_by_the_row_cap():
    msg = str(problem(b"a,b\n" + b"1,2\n" * 1_000_000))
    assert f"more than {MAX_ROWS:,} rows" in msg


def test_too_many_bytes_are_refused_before_reading():
    assert "the limit is 20 MB" in str(problem(b"a,b\n" + b"1,2\n" * 6_000_000))


def test_formula_cells_stay_text_are_reported_and_neutralised_on_the_way_out():
    data = ("a,b,c\n" + rows() + '=HYPERLINK("http://x"),3,@SUM(A1)\n+cmd,-2,-3.5\n').encode()
    table = read_table(data)
    note = " ".join(table.notes)
    assert "spreadsheet formula" in note
    assert "column 'a', row 41" in note and "column 'c', row 41" in note
    assert table.frame["a"].iat[40] == '=HYPERLINK("http://x")'   # text, never evaluated
    assert table.is_numeric("b")                  # -2 is a number, not a formula
    out = pd.read_csv(io.BytesIO(safe_csv(table.frame)), dtype=str)
    assert out["a"].iat[40] == "'=HYPERLINK(\"http://x\")" and out["a"].iat[41] == "'+cmd"
    assert out["b"].iat[41] == "-2.0" and neutralise("-3.5") == "-3.5"


def test_missing_cells_are_read_as_missing():
    table = read_table(b"a,b\n1,x\n,y\nNA,?\n4,z\n")
    assert table.frame["a"].isna().tolist() == [False, True, True, False]
    assert table.frame["b"].isna().tolist() == [False, False, True, False]


def test_parquet_is_read_by_columns(tmp_path):
    frame = pd.DataFrame({"x": [1.0, 2.0, None], "n": [1, 2, 3], "flag": [True, False, True],
                          "s": ["a", None, "c"]})
    buf = io.BytesIO()
    frame.to_parquet(buf)
    table = read_table(buf.getvalue())
    assert table.source == "Parquet" and table.columns == ["x", "n", "flag", "s"]
    assert table.is_numeric("flag") and table.frame["flag"].tolist() == [1.0, 0.0, 1.0]
    assert table.frame["s"].isna().tolist() == [False, True, False]


def test_a_damaged_parquet_file_says_so():
    assert "cannot be read" in str(problem(b"PAR1" + b"\x01" * 100 + b"PAR1"))


def test_a_file_with_too_many_columns_is_refused():
    header = ",".join(f"c{i}" for i in range(1500))
    assert "1,500 columns" in str(problem((header + "\n" + header + "\n").encode()))


def test_class_names_that_look_like_markup_are_shown_as_text():
    from playground.data.tables import Setup, prepare

    text = "x,y\n" + "".join(f"{i},{'<b>big</b>' if i % 2 else 'small'}\n" for i in range(40))
    p = prepare(read_table(text.encode()), Setup(), 0.2, 0.1, 0)
    assert p.class_names == ["‹b›big‹/b›", "small"]   # sorted by the raw text
