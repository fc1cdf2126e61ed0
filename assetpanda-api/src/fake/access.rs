//! What tests read and change on a fake directly: credentials, tokens, stored objects,
//! counters, the request log, faults, the rate limit and the clock.

use serde_json::Value;

use super::account::StoredObject;
use super::clock::FakeClock;
use super::core::FakeCore;
use super::counters::{Counters, RequestRecord};
use super::error::FakeError;
use super::faults::FaultPlan;
use super::rate_limit::{Limiter, RateLimit};
use super::spec::GroupSpec;
use super::values::display_text;

impl FakeCore {
    /// The static bearer token (valid until expired by a test).
    pub fn token(&self) -> String {
        self.lock().auth.static_token.clone()
    }

    /// The login email the fake accepts.
    pub fn email(&self) -> String {
        self.lock().auth.credentials.email.clone()
    }

    /// The login password the fake accepts.
    pub fn password(&self) -> String {
        self.lock().auth.credentials.password.clone()
    }

    /// The v2 client id the fake accepts.
    pub fn client_id(&self) -> String {
        self.lock().auth.credentials.client_id.clone()
    }

    /// The v2 client secret the fake accepts.
    pub fn client_secret(&self) -> String {
        self.lock().auth.credentials.client_secret.clone()
    }

    /// The path the v3 login answers on.
    pub fn v3_login_path(&self) -> String {
        self.lock().auth.v3_login_path.clone()
    }

    /// Successful logins so far (both versions).
    pub fn logins(&self) -> u64 {
        self.lock().auth.logins
    }

    /// Marks `token` expired: requests bearing it get 401 "Token expired".
    pub fn expire_token(&self, token: &str) {
        self.lock().auth.expire(token);
    }

    /// Marks every token issued so far expired, the static one included.
    pub fn expire_all_tokens(&self) {
        self.lock().auth.expire_all();
    }

    /// Makes the static token valid again.
    pub fn renew_static_token(&self) {
        self.lock().auth.renew_static();
    }

    /// The group specs, in the order they were added.
    pub fn groups(&self) -> Vec<GroupSpec> {
        let inner = self.lock();
        let account = &inner.account;
        account
            .order
            .iter()
            .map(|id| account.groups[id].spec.clone())
            .collect()
    }

    /// Every object of group `group_id`, archived ones included, in creation order
    /// (empty for an unknown group).
    pub fn objects(&self, group_id: u64) -> Vec<StoredObject> {
        let inner = self.lock();
        inner
            .account
            .groups
            .get(&group_id)
            .map(|g| g.objects.clone())
            .unwrap_or_default()
    }

    /// The objects of group `group_id` that are not archived.
    pub fn live_objects(&self, group_id: u64) -> Vec<StoredObject> {
        let mut objects = self.objects(group_id);
        objects.retain(|o| !o.is_archived);
        objects
    }

    /// Object `id` of group `group_id`.
    pub fn object(&self, group_id: u64, id: &str) -> Option<StoredObject> {
        let inner = self.lock();
        inner.account.groups.get(&group_id)?.object(id).cloned()
    }

    /// The objects of group `group_id` whose field `key` shows `text` (trimmed, ignoring
    /// case), archived ones included.
    pub fn find(&self, group_id: u64, key: &str, text: &str) -> Vec<StoredObject> {
        let wanted = text.trim().to_lowercase();
        let mut objects = self.objects(group_id);
        objects.retain(|o| {
            let shown = o.value(key).and_then(display_text).unwrap_or_default();
            shown.trim().to_lowercase() == wanted
        });
        objects
    }

    /// Stores an object without HTTP (no counters, faults or limits), with the checks of
    /// a create: field keys, value formats, required and unique fields.
    pub fn insert_object(&self, group_id: u64, fields: Value) -> Result<StoredObject, FakeError> {
        let Value::Object(fields) = fields else {
            return Err(FakeError::Rejected(
                "an object must be a JSON object".into(),
            ));
        };
        let mut inner = self.lock();
        let now = inner.clock.now();
        let id = inner
            .account
            .insert(group_id, fields, now)
            .map_err(FakeError::Rejected)?;
        let group = &inner.account.groups[&group_id];
        group
            .object(&id)
            .cloned()
            .ok_or(FakeError::UnknownObject(id))
    }

    /// Sets the archived flag of object `id` without HTTP.
    pub fn set_archived(&self, group_id: u64, id: &str, archived: bool) -> Result<(), FakeError> {
        let mut inner = self.lock();
        let now = inner.clock.now();
        let group = inner
            .account
            .groups
            .get_mut(&group_id)
            .ok_or(FakeError::UnknownGroup(group_id))?;
        let object = group
            .object_mut(id)
            .ok_or_else(|| FakeError::UnknownObject(id.to_owned()))?;
        object.is_archived = archived;
        object.updated_at = now;
        object.version += 1;
        group.generation += 1;
        Ok(())
    }

    /// A snapshot of the counters.
    pub fn counters(&self) -> Counters {
        self.lock().counters.clone()
    }

    /// Zeroes the counters (the request numbering and log go on).
    pub fn reset_counters(&self) {
        self.lock().counters = Counters::default();
    }

    /// The requests received, oldest first (the last 100,000 at most).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.lock().log.iter().cloned().collect()
    }

    /// How many requests have arrived; the next one gets this number plus one.
    pub fn request_count(&self) -> u64 {
        self.lock().seq
    }

    /// Replaces the fault plan. Request numbers in the plan keep counting from the start.
    /// Fails when the plan needs the raw transport and the server runs on wiremock.
    pub fn set_faults(&self, plan: FaultPlan) -> Result<(), FakeError> {
        let mut inner = self.lock();
        if plan.needs_raw_transport() && !inner.raw_transport {
            return Err(FakeError::NeedsRawTransport);
        }
        inner.faults = plan;
        Ok(())
    }

    /// Turns the server-side rate limit on (with a fresh window) or off.
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        self.lock().limiter = limit.map(Limiter::new);
    }

    /// The fake's clock; advance a manual one to move time.
    pub fn clock(&self) -> FakeClock {
        self.lock().clock.clone()
    }

    /// The account's date format, as the settings serve it (`MM/DD/YYYY`).
    pub fn date_format(&self) -> String {
        self.lock().account.date_format.account.clone()
    }

    /// `date` written in the account's date format.
    pub fn format_date(&self, date: chrono::NaiveDate) -> String {
        self.lock().account.date_format.format(date)
    }
}
