"""`kpitrack show` of a file that does not load names the file's own problem, with its line."""


def test_show_of_a_broken_file_names_its_problem_and_line(make_workspace, cli):
    root = make_workspace({"firms.toml": """\
        title = "synthetic: new firms"
        target = 1200
        start = 2023-01-01
        due = 2023-12-31

        [[progress]]
        date = 2023-06-31
        value = 5
        """})
    result = cli(root, "show", "firms", "--as-of", "2023-06-30")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "firms.toml:7" in result.stderr and "Traceback" not in result.output


def test_show_of_a_file_with_an_unknown_key_suggests_the_right_one(make_workspace, cli):
    root = make_workspace({"firms.toml": 'titel = "x"\ntarget = 5\nstart = 2023-01-01\ndue = 2023-12-31\n'})
    result = cli(root, "show", "firms")
    assert result.exit_code == 2
    assert "firms.toml:1" in result.stderr and "did you mean 'title'?" in result.stderr
