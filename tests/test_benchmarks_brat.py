"""``python -m benchmarks.suggest --brat DIR``: any folder of brat files scored as the
built-in set is, with sentences written for this test."""

from pathlib import Path

import pytest

from benchmarks.brat_set import BratError, load_brat
from benchmarks.suggest import main

TEXT = "The audit concludes that the agency overspent.\n“We will respond 😠,” Ana Ruiz said.\n"


def write_set(folder: Path, ann: str, text: str = TEXT) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "one.txt").write_text(text, encoding="utf-8")
    (folder / "one.ann").write_text(ann, encoding="utf-8")
    return folder


def spans(needle: str) -> str:
    start = TEXT.index(needle)
    return f"{start} {start + len(needle)}"


ANN = (
    f"T1\tClaim {spans('the agency overspent')}\tthe agency overspent\n"
    f"T2\tWho {spans('audit')}\taudit\n"
    "R1\tAttribution Arg1:T1 Arg2:T2\n"
    f"T3\tClaim {spans('“We will respond 😠,”')}\t“We will respond 😠,”\n"
    f"T4\tWho {spans('Ana Ruiz')}\tAna Ruiz\n"
    "R2\tAttribution Arg1:T3 Arg2:T4\n"
    "#1\tAnnotatorNotes T4\tspeaker: Ana Ruiz\n"
)


def test_a_brat_folder_is_scored_with_the_mapped_types(tmp_path, capsys):
    folder = write_set(tmp_path / "set", ANN)
    claims = load_brat(folder, {"Claim": "claim", "Who": "speaker"})[0][2]
    assert [speaker for _, speaker in claims] == ["audit", "Ana Ruiz"]
    assert main(["--brat", str(folder), "--map", "Claim=claim", "--map", "Who=speaker"]) == 0
    out = capsys.readouterr().out
    assert "| suggestions | 2 | 2 | 2 | 1.00 | 1.00 | 1.00 | 100% of 2 |" in out


@pytest.mark.parametrize(
    ("ann", "message"),
    [
        ("T1\tClaim 5 9999\tx\n", "offsets outside the text"),
        ("T1\n", "cannot read"),
        ("T1\tClaim\n", "no offsets"),
    ],
)
def test_bad_brat_files_are_named(tmp_path, ann, message):
    folder = write_set(tmp_path / "bad", ann)
    with pytest.raises(BratError, match=message):
        load_brat(folder, {"Claim": "claim"})


def test_a_missing_or_empty_folder_is_one_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--brat", str(tmp_path / "nowhere")])
    assert exit_.value.code == 2
    assert "is not a folder" in capsys.readouterr().err
    with pytest.raises(BratError, match=r"holds no \.txt file"):
        load_brat(tmp_path, {})
    write_set(tmp_path / "crlf", "", text="One.\r\nTwo.\r\n")
    with pytest.raises(BratError, match="CR line ends"):
        load_brat(tmp_path / "crlf", {})
