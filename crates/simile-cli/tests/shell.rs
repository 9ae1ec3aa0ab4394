//! `simile completions` and `simile man`: what a shell and `man` get, and their errors.

mod common;

use common::simile;
use std::fs;
use std::process::Command as Process;

/// The commands every completion script and the manual must know.
const COMMANDS: [&str; 7] = [
    "compare",
    "find",
    "clones",
    "schema",
    "index",
    "completions",
    "man",
];

fn stdout_of(args: &[&str]) -> String {
    let out = simile().args(args).assert().success().get_output().clone();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// What bash offers for the words typed so far (`words`, the last one being completed), with
/// the script `simile completions bash` printed loaded as a user would load it.
fn bash_completes(script: &str, words: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("simile.bash");
    fs::write(&path, script).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let (current, previous) = (words[words.len() - 1], words[words.len() - 2]);
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; _simile simile '{current}' '{previous}'; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display(),
        quoted.join(" "),
        words.len() - 1,
    );
    let out = Process::new("bash")
        .args(["--norc", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_commands_flags_and_their_values() {
    let script = stdout_of(&["completions", "bash"]);
    // The script parses.
    let check = Process::new("bash")
        .args(["-n", "-c", &script])
        .status()
        .unwrap();
    assert!(check.success());
    assert_eq!(bash_completes(&script, &["simile", "cl"]), ["clones"]);
    let commands = bash_completes(&script, &["simile", ""]);
    for command in COMMANDS {
        assert!(
            commands.iter().any(|c| c == command),
            "{command}: {commands:?}"
        );
    }
    assert_eq!(
        bash_completes(&script, &["simile", "compare", "--format", ""]),
        [
            "text", "json", "markdown", "html", "sarif", "csv", "diff", "scanoss"
        ]
    );
    let clones_flags = bash_completes(&script, &["simile", "clones", "--f"]);
    for flag in ["--fail-over", "--fragments", "--format"] {
        assert!(
            clones_flags.iter().any(|f| f == flag),
            "{flag}: {clones_flags:?}"
        );
    }
    assert_eq!(
        bash_completes(&script, &["simile", "index", "b"]),
        ["build"]
    );
}

#[test]
fn every_shell_gets_a_script_that_knows_every_command() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        for command in COMMANDS {
            assert!(script.contains(command), "{shell}: {command}");
        }
        // Elvish's and PowerShell's completions offer flags, not their values.
        if !["elvish", "powershell"].contains(&shell) {
            assert!(script.contains("scanoss"), "{shell}: the formats");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    simile()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("possible values: bash"));
}

#[test]
fn the_manual_page_of_simile_lists_every_command() {
    let page = stdout_of(&["man"]);
    assert!(
        page.contains(".TH simile 1"),
        "{}",
        &page[..200.min(page.len())]
    );
    // The NAME line does not say the name twice.
    assert!(page.contains("simile \\- find the files most similar"));
    assert!(page.contains("Exit codes: 0 success"));
    for command in COMMANDS {
        assert!(page.contains(&format!("simile\\-{command}")), "{command}");
    }
}

#[test]
fn man_dir_writes_a_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    // A directory that does not exist yet is created.
    let pages = dir.path().join("share/man/man1");
    simile()
        .args(["man", "--dir"])
        .arg(&pages)
        .assert()
        .success()
        .stdout("");
    let mut names: Vec<String> = fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "simile-clones.1",
            "simile-compare.1",
            "simile-completions.1",
            "simile-find.1",
            "simile-index-build.1",
            "simile-index-check.1",
            "simile-index-stats.1",
            "simile-index-update.1",
            "simile-index.1",
            "simile-man.1",
            "simile-schema.1",
            "simile.1",
        ]
    );
    let compare = fs::read_to_string(pages.join("simile-compare.1")).unwrap();
    assert!(
        compare.contains(r#".TH simile-compare 1  "simile 0.1.0""#),
        "the title, and the program and version in the footer"
    );
    // Flags and their values, with the help texts of `--help`.
    for flag in [
        "\\-\\-format",
        "\\-\\-side\\-by\\-side",
        "\\-\\-no\\-license",
    ] {
        assert!(compare.contains(flag), "{flag}");
    }
    assert!(compare.contains("scanoss"));
    let build = fs::read_to_string(pages.join("simile-index-build.1")).unwrap();
    assert!(build.contains("simile index build"));
}

#[test]
fn man_dir_that_cannot_be_made_is_an_output_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "").unwrap();
    simile()
        .args(["man", "--dir"])
        .arg(&file)
        .assert()
        .code(5)
        .stderr(predicates::str::contains("cannot write the manual pages"));
}

/// A full disk is an output error (exit 5), for the documents printed from memory as for
/// reports (`simile schema` once reported it as an internal error).
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_output_error() {
    for (args, what) in [
        (&["schema"][..], "the schema"),
        (&["completions", "bash"][..], "the completion script"),
        (&["man"][..], "the manual page"),
    ] {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Process::new(assert_cmd::cargo::cargo_bin("simile"))
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(5), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!(
                "simile: standard output: cannot write {what}: No space left on device (os error 28)\n"
            )
        );
    }
}
