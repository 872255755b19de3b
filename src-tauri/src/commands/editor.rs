//! The policy editor's questions: diagnostics, action completion and hover. Offline: the
//! core answers from the embedded catalogue, with no profile and no call to AWS.

use super::Cmd;
use gatehouse_core::iam::trust::{self, TrustSpec};
use gatehouse_core::policy::catalogue::{self, ActionInfo, ActionPattern, ServicePrincipal};
use gatehouse_core::policy::validate::{self, PolicyKind, Validation};

/// How many completions the editor shows at once.
const COMPLETIONS: usize = 200;

#[tauri::command]
#[specta::specta]
pub async fn validate_policy(document: String, kind: PolicyKind) -> Cmd<Validation> {
    // CPU-bound (a large paste, on every keystroke): on the blocking pool, so the async
    // workers keep answering every other command meanwhile.
    tokio::task::spawn_blocking(move || validate::validate(&document, kind))
        .await
        .map_err(|e| gatehouse_core::Error::Internal(format!("the policy could not be checked: {e}")))
}

#[tauri::command]
#[specta::specta]
pub async fn complete_actions(prefix: String) -> Cmd<Vec<ActionInfo>> {
    Ok(catalogue::complete(&prefix, COMPLETIONS))
}

#[tauri::command]
#[specta::specta]
pub async fn describe_actions(pattern: String) -> Cmd<ActionPattern> {
    Ok(catalogue::describe(&pattern))
}

#[tauri::command]
#[specta::specta]
pub async fn list_service_principals() -> Cmd<Vec<ServicePrincipal>> {
    Ok(catalogue::service_principals())
}

/// The trust policy the builder's choices make, for the editor (nothing is sent).
#[tauri::command]
#[specta::specta]
pub async fn build_trust_policy(spec: TrustSpec) -> Cmd<String> {
    trust::check(&spec)?;
    Ok(trust::build(&spec))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Issue 20, item 4: validating a large document does not hold the async runtime; on
    /// a runtime of one thread, another command answers while it runs.
    #[tokio::test(flavor = "current_thread")]
    async fn another_command_answers_while_a_large_policy_is_validated() {
        // Hundreds of misspelt actions: each is compared
        // with its service's actions for a suggestion, which takes a while.
        let actions: Vec<String> = (0..600).map(|i| format!("\"s3:GetObjcet{i}\"")).collect();
        let document = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{}],"Resource":"*"}}]}}"#,
            actions.join(",")
        );
        assert!(document.len() < validate::LARGEST_READ);
        let started = Instant::now();
        let (validated, answered) = tokio::join!(
            async {
                let v = validate_policy(document, PolicyKind::Managed).await.unwrap();
                (v, started.elapsed())
            },
            async {
                let completions = complete_actions("s3:GetOb".into()).await.unwrap();
                (completions, started.elapsed())
            }
        );
        let ((v, validation_took), (completions, answer_took)) = (validated, answered);
        assert!(v.findings.iter().any(|f| f.code == "UNKNOWN_ACTION"));
        assert!(completions.iter().any(|a| a.name == "s3:GetObject"), "{completions:?}");
        assert!(validation_took > Duration::from_millis(50), "the document must take a while: {validation_took:?}");
        assert!(
            answer_took < validation_took / 2,
            "the completion waited for the validation: {answer_took:?} of {validation_took:?}"
        );
    }
}
