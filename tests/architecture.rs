//! The layering the code relies on, checked: the domain core does no I/O and imports nothing
//! of the rest of the crate, so its rules can be tested alone and it can become a crate of
//! its own without a change.

use std::path::Path;

fn rust_files(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Asserts that no Rust file under `src/<dir>` names any of `forbidden`; `why` ends the
/// message.
fn imports_none_of(dir: &str, forbidden: &[&str], why: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(!files.is_empty(), "no Rust files under src/{dir}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for word in forbidden {
            assert!(
                !text.contains(word),
                "{} uses {word}: {why}",
                file.display()
            );
        }
    }
}

/// The store keeps the domain's records: it imports the core's types, and nothing of the
/// layers that use it (the broker's orchestration, the HTTP server, the CLI).
#[test]
fn the_store_imports_the_core_never_the_broker() {
    imports_none_of(
        "store",
        &[
            "crate::broker",
            "crate::server",
            "crate::cli",
            "crate::client",
        ],
        "the store may import the core, never the layers above it",
    );
}

/// The targets are the real systems the broker grants access on: the broker calls them, they
/// call nothing of the broker, the server, the store or the CLI.
#[test]
fn the_targets_import_none_of_the_layers_that_call_them() {
    imports_none_of(
        "targets",
        &[
            "crate::broker",
            "crate::server",
            "crate::store",
            "crate::cli",
            "crate::client",
        ],
        "the targets are called by the broker, never the other way",
    );
}

#[test]
fn the_core_does_no_io_and_imports_only_itself() {
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let mut files = Vec::new();
    rust_files(&core, &mut files);
    assert!(files.len() >= 4, "the core's files: {files:?}");
    let forbidden = [
        "crate::broker",
        "crate::store",
        "crate::server",
        "crate::client",
        "crate::cli",
        "crate::wire",
        "sqlx",
        "axum",
        "reqwest",
        "tokio",
        "std::fs",
        "std::net",
        "std::process",
        "std::io",
        "std::env",
        "console",
        "dialoguer",
        "Utc::now",
        "SystemTime::now",
    ];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // The system clock is the one place allowed to read the time.
        let allowed_now = file.ends_with("clock.rs");
        for word in forbidden {
            if word == "Utc::now" && allowed_now {
                continue;
            }
            assert!(
                !text.contains(word),
                "{} uses {word}: the core must stay free of I/O and of the other layers",
                file.display()
            );
        }
    }
}

#[test]
fn states_and_due_times_are_set_only_by_the_lifecycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join("broker"), &mut files);
    rust_files(&src.join("server"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for assignment in [".state = ", ".due_at = "] {
            assert!(
                !text.contains(assignment),
                "{} sets a session's {} itself; only core::lifecycle may",
                file.display(),
                assignment.trim_matches(&['.', ' ', '='][..])
            );
        }
    }
}
