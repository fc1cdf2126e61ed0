//! The pure request handler: routing, authentication and the record endpoints.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http::{Method, StatusCode};
use serde_json::{json, Map, Value};

use super::entity::Entity;
use super::list::{self, LinkBase};
use super::query::Query;
use super::response::{self, FakeRequest, FakeResponse};
use super::store::Store;
use super::writes;

/// Who may call the fake, and how it presents itself.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) company_id: String,
    pub(crate) company_name: String,
    pub(crate) public_key: String,
    pub(crate) private_key: String,
    pub(crate) client_id: String,
    /// Ends with `/`, as companyinfo reports it.
    pub(crate) codebase: String,
    pub(crate) max_page_size: u32,
    /// Scheme, host and port that `Link` headers name.
    pub(crate) link_origin: String,
}

impl Settings {
    /// `/v4_6_release/apis/3.0`
    pub(crate) fn api_prefix(&self) -> String {
        format!("/{}apis/3.0", self.codebase)
    }
}

/// Where a request goes, for routing and counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    CompanyInfo(String),
    Collection(Entity),
    Count(Entity),
    Record(Entity, String),
    Unknown,
}

impl Route {
    pub(crate) fn of(settings: &Settings, path: &str) -> Route {
        if let Some(company) = path.strip_prefix("/login/companyinfo/") {
            return Route::CompanyInfo(company.trim_end_matches('/').to_owned());
        }
        let Some(rest) = path.strip_prefix(settings.api_prefix().as_str()) else {
            return Route::Unknown;
        };
        let rest = rest.trim_end_matches('/');
        for entity in Entity::ALL {
            let Some(tail) = rest.strip_prefix(entity.path()) else {
                continue;
            };
            return match tail {
                "" => Route::Collection(entity),
                "/count" => Route::Count(entity),
                t if t.len() > 1 && t.starts_with('/') && !t[1..].contains('/') => {
                    Route::Record(entity, t[1..].to_owned())
                }
                _ => continue,
            };
        }
        Route::Unknown
    }

    /// The endpoint template used by the counters.
    pub(crate) fn endpoint(&self, path: &str) -> String {
        match self {
            Route::CompanyInfo(_) => "/login/companyinfo/{company}".into(),
            Route::Collection(e) => e.path().into(),
            Route::Count(e) => format!("{}/count", e.path()),
            Route::Record(e, _) => format!("{}/{{id}}", e.path()),
            Route::Unknown => path.into(),
        }
    }
}

/// Computes the response to one request. Writes change `store`.
pub(crate) fn handle(store: &mut Store, settings: &Settings, req: &FakeRequest) -> FakeResponse {
    let route = Route::of(settings, &req.path);
    if let Route::CompanyInfo(company) = &route {
        return company_info(settings, &req.method, company);
    }
    if route == Route::Unknown {
        let msg = format!("The resource {} was not found.", req.path);
        return response::error(StatusCode::NOT_FOUND, "NotFound", &msg);
    }
    if let Err(denied) = authenticate(settings, req) {
        return denied;
    }
    let query = Query::parse(req.query.as_deref());

    let resp = match (&route, &req.method) {
        (Route::Collection(e), &Method::GET) => {
            let forward_only = req
                .headers
                .get("pagination-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("forward-only"));
            let api_root = format!("{}{}", settings.link_origin, settings.api_prefix());
            let link = LinkBase {
                api_root: &api_root,
            };
            list::list(
                store,
                *e,
                &query,
                forward_only,
                settings.max_page_size,
                &link,
            )
        }
        (Route::Collection(e), &Method::POST) => writes::create(store, *e, &req.body),
        (Route::Count(e), &Method::GET) => list::count(store, *e, &query),
        (Route::Record(Entity::Tickets, id), &Method::POST) if id == "search" => {
            search(store, settings, query, &req.body)
        }
        (Route::Record(e, id), method) => match id.parse::<i64>() {
            Ok(id) => match *method {
                Method::GET => get(store, *e, id, &query),
                Method::PUT => writes::put(store, *e, id, &req.body),
                Method::PATCH => writes::patch(store, *e, id, &req.body),
                Method::DELETE => writes::delete(store, *e, id),
                _ => method_not_allowed(method),
            },
            Err(_) => not_found(*e, id),
        },
        (_, method) => method_not_allowed(method),
    };
    resp.with_header("api-current-version", response::API_VERSION)
        .with_header("cache-control", "no-cache")
}

/// `POST /service/tickets/search`: the filters come in the body (`FilterValues`, whose
/// last two keys are all lower-case), the paging in the query.
fn search(store: &Store, settings: &Settings, mut query: Query, body: &[u8]) -> FakeResponse {
    let filters = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => map,
        _ => {
            let msg = "The body must be a FilterValues object.";
            return response::invalid_object("filterValues", "InvalidValue", "", msg);
        }
    };
    let keys = [
        ("conditions", "conditions"),
        ("orderBy", "orderBy"),
        ("childconditions", "childConditions"),
        ("customfieldconditions", "customFieldConditions"),
    ];
    for (key, param) in keys {
        if let Some(text) = filters.get(key).and_then(Value::as_str) {
            query.push_front(param, text);
        }
    }
    let api_root = format!("{}{}", settings.link_origin, settings.api_prefix());
    let link = LinkBase {
        api_root: &api_root,
    };
    list::list(
        store,
        Entity::Tickets,
        &query,
        false,
        settings.max_page_size,
        &link,
    )
}

fn company_info(settings: &Settings, method: &Method, company: &str) -> FakeResponse {
    if method != Method::GET {
        return method_not_allowed(method);
    }
    // An unknown company gets a 200 whose body is the JSON literal `null`.
    if !company.eq_ignore_ascii_case(&settings.company_id) {
        return FakeResponse::json(StatusCode::OK, &Value::Null);
    }
    let version = format!("v{}", response::API_VERSION);
    FakeResponse::json(
        StatusCode::OK,
        &json!({
            "CompanyName": settings.company_name,
            "Codebase": settings.codebase,
            "VersionCode": version,
            "VersionNumber": "v4.6.99999",
            "CompanyID": settings.company_id,
            "IsCloud": "False",
            "SiteUrl": settings.link_origin,
        }),
    )
}

/// Checks `Authorization: Basic base64(company+public:private)` and `clientId`.
fn authenticate(settings: &Settings, req: &FakeRequest) -> Result<(), FakeResponse> {
    let header = |name: &str| req.headers.get(name).and_then(|v| v.to_str().ok());
    let Some(auth) = header("authorization") else {
        return Err(response::unauthorized("Authorization header is missing."));
    };
    let decoded = auth
        .strip_prefix("Basic ")
        .and_then(|b64| STANDARD.decode(b64.trim()).ok())
        .and_then(|raw| String::from_utf8(raw).ok());
    let expected = format!(
        "{}+{}:{}",
        settings.company_id, settings.public_key, settings.private_key
    );
    if decoded.as_deref() != Some(expected.as_str()) {
        return Err(response::unauthorized(
            "The company, public key or private key is not valid.",
        ));
    }
    match header("clientid") {
        Some(id) if id == settings.client_id => Ok(()),
        Some(_) => Err(response::error(
            StatusCode::UNAUTHORIZED,
            "ConnectWiseApi",
            "The clientId is not a registered integration.",
        )),
        None => Err(response::error(
            StatusCode::UNAUTHORIZED,
            "ConnectWiseApi",
            "A clientId header is required on every request.",
        )),
    }
}

fn get(store: &Store, entity: Entity, id: i64, query: &Query) -> FakeResponse {
    let Some(record) = store.raw(entity, id) else {
        return not_found(entity, id);
    };
    match query.non_empty("fields") {
        Some(fields) => {
            let projected = list::project(&record.value(), &list::parse_fields(fields));
            FakeResponse::json(StatusCode::OK, &projected)
        }
        None => FakeResponse::json_text(StatusCode::OK, record.text().to_vec()),
    }
}

pub(crate) fn not_found(entity: Entity, id: impl std::fmt::Display) -> FakeResponse {
    let msg = format!("{} {id} not found", entity.label());
    response::error(StatusCode::NOT_FOUND, "NotFound", &msg)
}

fn method_not_allowed(method: &Method) -> FakeResponse {
    let msg = format!("The requested resource does not support http method '{method}'.");
    FakeResponse::json(
        StatusCode::METHOD_NOT_ALLOWED,
        &Value::Object(Map::from_iter([("message".to_owned(), msg.into())])),
    )
}
