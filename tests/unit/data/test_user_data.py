"""User data is found again by its content key, in this process and in another one."""
import subprocess
import sys

import pytest

from playground.data import user_data


@pytest.fixture(autouse=True)
def own_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_USER_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(user_data, "_memory", type(user_data._memory)())
    return tmp_path


def test_same_bytes_same_key_and_found_again():
    key = user_data.put(b"x,y\n1,2\n")
    assert key == user_data.put(b"x,y\n1,2\n") and user_data.KEY_PATTERN.match(key)
    assert user_data.get(key) == b"x,y\n1,2\n"


def test_another_process_reads_what_this_one_kept(own_folder):
    key = user_data.put(b"label,a\n0,1\n")
    code = ("import sys; from playground.data import user_data; "
            f"sys.stdout.write(user_data.get({key!r}).decode())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PLAYGROUND_USER_DATA_DIR": str(own_folder), "PATH": ""},
                         cwd=str(__import__("pathlib").Path(__file__).parents[3]))
    assert out.stdout == "label,a\n0,1\n", out.stderr


def test_unknown_and_malformed_names_say_what_is_wrong():
    with pytest.raises(user_data.UnknownUserData, match="not on this server"):
        user_data.get("0123456789abcdef")
    with pytest.raises(user_data.UnknownUserData, match="16 hex digits"):
        user_data.get("../etc/passwd")


def test_a_damaged_file_is_not_trusted(own_folder):
    key = user_data.put(b"a,b\n")
    user_data._memory.clear()
    (own_folder / key).write_bytes(b"tampered")
    with pytest.raises(user_data.UnknownUserData, match="damaged"):
        user_data.get(key)
