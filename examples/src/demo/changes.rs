//! The changes the demo makes at the source between its first and second runs: some
//! devices edited, some added, some deleted, chosen from the seed.

use connectwise_api::fake::{Entity, FakeConnectWise};
use rand::rngs::StdRng;
use rand::seq::index::sample;
use rand::SeedableRng;
use serde_json::Value;

/// What was changed, so the second run's report can be checked against it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Devices whose name and IP address were edited.
    pub edited: Vec<i64>,
    /// Devices added.
    pub created: Vec<i64>,
    /// Devices deleted.
    pub deleted: Vec<i64>,
}

impl Changes {
    /// One line for the demo's output.
    pub fn summary(&self) -> String {
        format!(
            "edited {}, added {}, deleted {}",
            crate::output::count(self.edited.len(), "device", "devices"),
            self.created.len(),
            self.deleted.len()
        )
    }
}

/// Edits about 3%, adds about 1% and deletes about 2% of the devices (at least one of
/// each when there are devices). Deleting stays well below the archive guard's 10%.
pub fn apply(cw: &FakeConnectWise, seed: u64) -> Changes {
    let devices = cw.records(Entity::Configurations);
    if devices.is_empty() {
        return Changes::default();
    }
    let mut rng = StdRng::seed_from_u64(seed ^ 0x00de_3000_c4a6_e500);
    let n = devices.len();
    let (edit_n, add_n, delete_n) = (share(n, 3), share(n, 1), share(n, 2));

    // NB: one sample, split in two, so no device is both edited and deleted.
    let picked = sample(&mut rng, n, (edit_n + delete_n).min(n)).into_vec();
    let (edit_idx, delete_idx) = picked.split_at(edit_n.min(picked.len()));
    let id_of = |i: &usize| devices[*i].get("id").and_then(Value::as_i64);

    let mut changes = Changes::default();
    for id in edit_idx.iter().filter_map(id_of) {
        let edited = cw.update(Entity::Configurations, id, |record| {
            let name = record
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("device");
            let renamed = format!("{name} (renamed)");
            record.insert("name".into(), renamed.into());
            record.insert(
                "ipAddress".into(),
                format!("192.168.{}.{}", id % 250, id % 200 + 1).into(),
            );
        });
        if edited {
            changes.edited.push(id);
        }
    }
    for id in delete_idx.iter().filter_map(id_of) {
        if cw.remove(Entity::Configurations, id).is_some() {
            changes.deleted.push(id);
        }
    }

    let max_id = devices
        .iter()
        .filter_map(|d| d.get("id")?.as_i64())
        .max()
        .unwrap_or(0);
    for k in 0..add_n {
        let mut record = devices[k % n].clone();
        let id = max_id + 1 + k as i64;
        if let Some(map) = record.as_object_mut() {
            map.insert("id".into(), id.into());
            map.insert("name".into(), format!("NEW-DEVICE-{id}").into());
            map.insert("serialNumber".into(), format!("NEWSN{id:08}").into());
            map.remove("_info");
        }
        changes
            .created
            .push(cw.insert(Entity::Configurations, record));
    }

    changes.edited.sort_unstable();
    changes.deleted.sort_unstable();
    changes
}

/// `percent`% of `n`, at least one.
fn share(n: usize, percent: usize) -> usize {
    (n * percent / 100).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_at_least_one() {
        assert_eq!(share(10, 2), 1);
        assert_eq!(share(3000, 3), 90);
    }
}
