//! Helpers shared by the integration tests: run the real binary, find the project's files
//! and the shared real-data folder.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// A file of ../shared beside the project: the real evaluation pages, which a user's clone
/// does not have. Tests that read it are `#[ignore]`d with that reason, so `cargo test`
/// lists them as ignored; `.ci/run` runs them with `cargo test -- --ignored`, where a
/// missing file fails loudly instead of passing.
pub fn shared(relative: &str) -> PathBuf {
    let path = root().join("../shared").join(relative);
    assert!(
        path.exists(),
        "{} is absent: this test needs the real evaluation pages beside the repository",
        path.display()
    );
    path
}

/// Runs chaff with `args` and returns its output.
pub fn chaff<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_chaff"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("chaff runs")
}

/// Runs chaff with `args`, feeding `input` on standard input.
pub fn chaff_with_stdin<I, S>(args: I, input: &[u8]) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_chaff"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chaff runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("chaff finishes");
    writer.join().expect("writer thread");
    output
}

/// Writes `content` to `dir/name` and returns the path as text.
pub fn write(dir: &Path, name: &str, content: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_string()
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the exit status and shows both streams when it differs.
pub fn assert_status(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "expected status {code}\n--- stdout\n{}\n--- stderr\n{}",
        stdout(output),
        stderr(output)
    );
}

/// Trains a model on the small fixture into `dir` and returns its path.
pub fn small_model(dir: &Path) -> PathBuf {
    let model = dir.join("small.chaff");
    let out = chaff([
        "train".as_ref(),
        fixture("train-small.csv").as_os_str(),
        "-o".as_ref(),
        model.as_os_str(),
        "--quiet".as_ref(),
    ]);
    assert_status(&out, 0);
    model
}
