//! Planner benchmark (filled in below).

fn main() {}
