//! The questions a configuration type asks, answered per configuration.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::common::Extra;
use super::de;
use super::enums::QuestionFieldType;

/// One answered question of a configuration. The `answer` may be any JSON value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationQuestion {
    /// Id of the answer.
    #[serde(
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub answer_id: Option<i32>,
    /// Id of the question.
    #[serde(
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub question_id: Option<i32>,
    /// The question text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The answer as sent: text, number, bool, object, or none when absent or `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Value>,
    /// Position of the question.
    #[serde(
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub sequence_number: Option<f64>,
    /// Decimal places of a number answer.
    #[serde(
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub number_of_decimals: Option<i32>,
    /// The answer's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_type: Option<QuestionFieldType>,
    /// Whether an answer is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_flag: Option<bool>,
    /// Every other key.
    #[serde(flatten)]
    pub extra: Extra,
}
