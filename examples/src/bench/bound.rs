//! The fewest requests a sync can make, worked out from what it has to read and write.
//!
//! A full sync of one job reads the source in pages of at most 1,000 records (one more
//! request when the count is a multiple of the page size, because only a short page ends
//! a listing), re-reads the records missing from the listing in batches that fit the URL,
//! lists the target group (and each linked group no earlier job of the run listed) at the
//! search cap, and writes in batches of at most 200. Discovery (group, fields, statuses,
//! settings, login) is a constant that does not grow with the data; it is reported apart:
//! each group the run uses is described once ([`DESCRIBE_REQUESTS`]), and the login and
//! the account settings are read at most once per process.

/// Records per ConnectWise page.
pub const CW_PAGE: u64 = 1000;

/// Requests that describe one group, once per run: the group, its fields, its statuses.
pub const DESCRIBE_REQUESTS: u64 = 3;

/// Objects per Asset Panda write.
pub const AP_BATCH: u64 = 200;

/// What one job had to read and write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobWork {
    /// The job's name.
    pub job: String,
    /// Records the full source listing returned.
    pub source_records: u64,
    /// URL-sized `id in (…)` batches the missing ids need.
    pub reread_batches: u64,
    /// Objects in the target group when it was listed (archived ones included).
    pub target_objects: u64,
    /// Objects in each linked group the job lists (those no earlier job of the run
    /// listed), when it was listed.
    pub linked_objects: Vec<u64>,
    /// Objects to create.
    pub creates: u64,
    /// Objects to update.
    pub updates: u64,
    /// Objects to archive.
    pub archives: u64,
    /// Objects to unarchive.
    pub unarchives: u64,
}

/// The lower bound of one sync, by kind of request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bound {
    /// ConnectWise listing pages.
    pub cw_pages: u64,
    /// ConnectWise list requests that reading in several id ranges may add: for a listing
    /// longer than one page, one request for the largest id and, at most, one short page
    /// per range after the first. Zero when read in one range.
    pub cw_range_allowance: u64,
    /// ConnectWise re-reads of missing ids.
    pub cw_rereads: u64,
    /// Asset Panda search pages (target groups and linked groups).
    pub ap_search: u64,
    /// Asset Panda create calls.
    pub ap_create: u64,
    /// Asset Panda update calls.
    pub ap_update: u64,
    /// Asset Panda archive calls.
    pub ap_archive: u64,
    /// Asset Panda unarchive calls.
    pub ap_unarchive: u64,
}

impl Bound {
    /// ConnectWise list requests: pages and re-reads (they share one endpoint).
    pub fn cw_list(&self) -> u64 {
        self.cw_pages + self.cw_rereads
    }

    /// Asset Panda writes of every kind.
    pub fn ap_writes(&self) -> u64 {
        self.ap_create + self.ap_update + self.ap_archive + self.ap_unarchive
    }

    fn add(mut self, other: Bound) -> Bound {
        self.cw_pages += other.cw_pages;
        self.cw_range_allowance += other.cw_range_allowance;
        self.cw_rereads += other.cw_rereads;
        self.ap_search += other.ap_search;
        self.ap_create += other.ap_create;
        self.ap_update += other.ap_update;
        self.ap_archive += other.ap_archive;
        self.ap_unarchive += other.ap_unarchive;
        self
    }
}

/// Forward-only pages for `records` records: a short page ends the listing, so a count
/// that is a multiple of the page size (zero included) needs one more, empty, page.
pub fn source_pages(records: u64, page: u64) -> u64 {
    records / page.max(1) + 1
}

/// Search pages for `objects` objects at the server's cap: the totals in each answer tell
/// when the listing is complete, and an empty group still takes one request.
pub fn search_pages(objects: u64, cap: u64) -> u64 {
    objects.div_ceil(cap.max(1)).max(1)
}

/// Write calls for `objects` objects in batches of at most [`AP_BATCH`].
pub fn write_batches(objects: u64) -> u64 {
    objects.div_ceil(AP_BATCH)
}

/// The list requests that reading `records` records in up to `ranges` id ranges may add
/// to [`source_pages`]: none for one range or for a listing that fits its first page;
/// otherwise the request for the largest id and a short closing page per extra range.
pub fn range_allowance(records: u64, page: u64, ranges: u64) -> u64 {
    if ranges <= 1 || records < page {
        0
    } else {
        ranges
    }
}

/// The bound of one job, given the Asset Panda search cap and the ConnectWise id ranges
/// read at once.
pub fn job_bound(work: &JobWork, search_cap: u64, ranges: u64) -> Bound {
    let linked: u64 = work
        .linked_objects
        .iter()
        .map(|&n| search_pages(n, search_cap))
        .sum();
    Bound {
        cw_pages: source_pages(work.source_records, CW_PAGE),
        cw_range_allowance: range_allowance(work.source_records, CW_PAGE, ranges),
        cw_rereads: work.reread_batches,
        ap_search: search_pages(work.target_objects, search_cap) + linked,
        ap_create: write_batches(work.creates),
        ap_update: write_batches(work.updates),
        ap_archive: write_batches(work.archives),
        ap_unarchive: write_batches(work.unarchives),
    }
}

/// The bound of a run of several jobs.
pub fn run_bound(jobs: &[JobWork], search_cap: u64, ranges: u64) -> Bound {
    jobs.iter()
        .map(|w| job_bound(w, search_cap, ranges))
        .fold(Bound::default(), Bound::add)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_add_requests_only_past_the_first_page() {
        assert_eq!(range_allowance(999, 1000, 4), 0);
        assert_eq!(range_allowance(5000, 1000, 1), 0);
        assert_eq!(range_allowance(1000, 1000, 4), 4);
        assert_eq!(range_allowance(100_000, 1000, 3), 3);
    }

    #[test]
    fn pages_count_the_closing_empty_page() {
        assert_eq!(source_pages(0, 1000), 1);
        assert_eq!(source_pages(999, 1000), 1);
        assert_eq!(source_pages(1000, 1000), 2);
        assert_eq!(source_pages(2500, 1000), 3);
        assert_eq!(search_pages(0, 50), 1);
        assert_eq!(search_pages(100, 50), 2);
        assert_eq!(search_pages(101, 50), 3);
        assert_eq!(write_batches(0), 0);
        assert_eq!(write_batches(401), 3);
    }
}
