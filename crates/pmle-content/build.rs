//! Rebuild when the embedded pack changes: `include_dir!` alone does not notice new files.
fn main() {
    println!("cargo:rerun-if-changed=../../content/pmle");
}
