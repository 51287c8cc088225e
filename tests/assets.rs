//! The committed completions/ and man/ are what the current clap definitions generate.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::TestEnv;

fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn committed_completions_and_man_pages_are_up_to_date() {
    let env = TestEnv::new();
    let generated = env.path("generated");
    env.pamctl(&["generate-assets", "--dir", generated.to_str().unwrap()])
        .assert()
        .success();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["completions", "man"] {
        let fresh = files_under(&generated.join(sub));
        let committed = files_under(&repo.join(sub));
        assert!(!fresh.is_empty());
        assert_eq!(
            fresh.keys().collect::<Vec<_>>(),
            committed.keys().collect::<Vec<_>>(),
            "{sub}/ differs: run `cargo run -- generate-assets` and commit"
        );
        for (name, contents) in &fresh {
            assert!(
                committed[name] == *contents,
                "{sub}/{name} is out of date: run `cargo run -- generate-assets` and commit"
            );
        }
    }
    assert!(generated.join("man/pamctl-resource-list.1").exists());
}
