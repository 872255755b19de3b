//! Console passwords: the account's password policy, a generator that satisfies it from
//! the OS's CSPRNG, and the check of a typed password against it (AWS enforces the policy
//! too; moto does not, and the check gives a clearer message before the call).

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::sensitive::Sensitive;
use serde::Serialize;
use zeroize::Zeroize;

/// The symbols IAM accepts in passwords.
pub const SYMBOLS: &str = "!@#$%^&*()_+-=[]{}|'";
const UPPER: &str = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &str = "abcdefghijkmnopqrstuvwxyz";
const DIGITS: &str = "23456789";
/// What a spreadsheet reads as the start of a formula. The handoff's CSV is opened in one,
/// so a generated password never starts with these.
const FORMULA_LEADS: &[char] = &['=', '+', '-', '@'];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PasswordPolicy {
    pub min_length: u32,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    /// AWS's default when the account sets no policy: at least three of the four kinds.
    pub three_of_four: bool,
    /// False when the account has its own policy.
    pub is_default: bool,
}

impl PasswordPolicy {
    /// What AWS applies when the account has no password policy of its own.
    pub fn aws_default() -> Self {
        PasswordPolicy {
            min_length: 8,
            require_symbols: false,
            require_numbers: false,
            require_uppercase: false,
            require_lowercase: false,
            three_of_four: true,
            is_default: true,
        }
    }

    /// Every rule a password breaks, as one sentence.
    pub fn check(&self, password: &str, user: &str) -> Result<()> {
        let mut problems = Vec::new();
        let len = password.chars().count();
        if len < self.min_length as usize {
            problems.push(format!("at least {} characters (it has {len})", self.min_length));
        }
        if len > 128 {
            problems.push("at most 128 characters".to_string());
        }
        let has_upper = password.chars().any(|c| c.is_ascii_uppercase());
        let has_lower = password.chars().any(|c| c.is_ascii_lowercase());
        let has_digit = password.chars().any(|c| c.is_ascii_digit());
        let has_symbol = password.chars().any(|c| SYMBOLS.contains(c));
        if self.require_uppercase && !has_upper {
            problems.push("an uppercase letter".into());
        }
        if self.require_lowercase && !has_lower {
            problems.push("a lowercase letter".into());
        }
        if self.require_numbers && !has_digit {
            problems.push("a number".into());
        }
        if self.require_symbols && !has_symbol {
            problems.push(format!("a symbol ({SYMBOLS})"));
        }
        if self.three_of_four && [has_upper, has_lower, has_digit, has_symbol].iter().filter(|b| **b).count() < 3 {
            problems.push("three of: uppercase, lowercase, numbers, symbols".into());
        }
        if !user.is_empty() && password.eq_ignore_ascii_case(user) {
            problems.push("to differ from the user name".into());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidInput(format!("The account's password policy needs {}.", problems.join(", "))))
        }
    }
}

/// A uniformly random index below `n`, from the OS's CSPRNG (rejection sampling: no bias).
fn random_below(n: usize) -> usize {
    let n = n as u32;
    let zone = u32::MAX - (u32::MAX % n);
    loop {
        let mut b = [0u8; 4];
        getrandom::fill(&mut b).expect("the OS random number generator is available");
        let v = u32::from_le_bytes(b);
        if v < zone {
            return (v % n) as usize;
        }
    }
}

fn pick(set: &str) -> char {
    let chars: Vec<char> = set.chars().collect();
    chars[random_below(chars.len())]
}

/// A password that satisfies `policy`: at least 20 characters (or the policy's minimum),
/// one of each kind, the rest from all kinds, shuffled. Ambiguous characters (0/O, 1/l/I)
/// are left out: people type these from a screen.
pub fn generate(policy: &PasswordPolicy) -> Sensitive<String> {
    let len = (policy.min_length as usize).clamp(20, 128);
    let all: String = [UPPER, LOWER, DIGITS, SYMBOLS].concat();
    let mut chars: Vec<char> = vec![pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
    while chars.len() < len {
        chars.push(pick(&all));
    }
    for i in (1..chars.len()).rev() {
        chars.swap(i, random_below(i + 1));
    }
    if FORMULA_LEADS.contains(&chars[0]) {
        // Swapping keeps every character the policy needs; the upper-case letter picked
        // above guarantees a safe one to swap with.
        let safe: Vec<usize> = (1..chars.len()).filter(|&i| !FORMULA_LEADS.contains(&chars[i])).collect();
        chars.swap(0, safe[random_below(safe.len())]);
    }
    let password = Sensitive::new(chars.iter().collect());
    chars.zeroize();
    password
}

/// The account's policy, or AWS's default when it has none.
pub async fn password_policy(conn: &Connection) -> Result<PasswordPolicy> {
    match conn.iam.get_account_password_policy().send().await.map_err(|e| conn.error(e)) {
        Ok(out) => {
            let p = out.password_policy;
            Ok(PasswordPolicy {
                min_length: p.as_ref().and_then(|p| p.minimum_password_length).unwrap_or(8) as u32,
                require_symbols: p.as_ref().is_some_and(|p| p.require_symbols),
                require_numbers: p.as_ref().is_some_and(|p| p.require_numbers),
                require_uppercase: p.as_ref().is_some_and(|p| p.require_uppercase_characters),
                require_lowercase: p.as_ref().is_some_and(|p| p.require_lowercase_characters),
                three_of_four: false,
                is_default: false,
            })
        }
        Err(Error::NoSuchEntity(_)) => Ok(PasswordPolicy::aws_default()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(min: u32, sym: bool, num: bool, up: bool, low: bool) -> PasswordPolicy {
        PasswordPolicy {
            min_length: min,
            require_symbols: sym,
            require_numbers: num,
            require_uppercase: up,
            require_lowercase: low,
            three_of_four: false,
            is_default: false,
        }
    }

    #[test]
    fn generated_passwords_satisfy_every_policy() {
        let mut policies = vec![PasswordPolicy::aws_default()];
        for min in [6, 8, 14, 20, 32, 64, 128] {
            for mask in 0..16u8 {
                policies.push(policy(min, mask & 1 != 0, mask & 2 != 0, mask & 4 != 0, mask & 8 != 0));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for p in &policies {
            for _ in 0..40 {
                let pw = generate(p);
                p.check(pw.expose(), "ana").unwrap_or_else(|e| panic!("{p:?}: {e}"));
                assert!(pw.expose().chars().count() >= p.min_length.max(20) as usize);
                seen.insert(pw.expose().clone());
            }
        }
        let samples = policies.len() * 40;
        assert!(samples > 4000, "{samples} samples");
        assert_eq!(seen.len(), samples, "no two generated passwords are alike");
    }

    /// A password in the handoff's CSV must not be read as a formula (CSV injection).
    #[test]
    fn generated_passwords_never_start_like_a_formula() {
        let mut policies = vec![PasswordPolicy::aws_default()];
        for min in [6, 8, 20, 64, 128] {
            for mask in 0..16u8 {
                policies.push(policy(min, mask & 1 != 0, mask & 2 != 0, mask & 4 != 0, mask & 8 != 0));
            }
        }
        let mut firsts = std::collections::HashSet::new();
        for p in &policies {
            for _ in 0..250 {
                let pw = generate(p);
                let first = pw.expose().chars().next().unwrap();
                assert!(!FORMULA_LEADS.contains(&first), "{p:?} starts a password with {first}");
                p.check(pw.expose(), "ana").unwrap_or_else(|e| panic!("{p:?}: {e}"));
                firsts.insert(first);
            }
        }
        // The other symbols still lead, so the first character stays hard to guess.
        assert!(firsts.contains(&'!') && firsts.contains(&'#') && firsts.contains(&'A'), "{firsts:?}");
    }

    #[test]
    fn generator_uses_every_character_kind_evenly_enough() {
        let mut counts = std::collections::HashMap::new();
        for _ in 0..2000 {
            for c in generate(&PasswordPolicy::aws_default()).expose().chars() {
                *counts.entry(c).or_insert(0u32) += 1;
            }
        }
        let alphabet = [UPPER, LOWER, DIGITS, SYMBOLS].concat();
        assert_eq!(counts.len(), alphabet.chars().count(), "every allowed character appears");
        assert!(counts.keys().all(|c| alphabet.contains(*c)));
    }

    #[test]
    fn typed_passwords_are_checked_rule_by_rule() {
        let strict = policy(14, true, true, true, true);
        let err = strict.check("short", "ana").unwrap_err().to_string();
        for part in ["at least 14 characters", "an uppercase letter", "a number", "a symbol"] {
            assert!(err.contains(part), "{err}");
        }
        strict.check("Correct-Horse-42x", "ana").unwrap();
        let d = PasswordPolicy::aws_default();
        assert!(d.check("alllowercase", "ana").unwrap_err().to_string().contains("three of"));
        d.check("Lower-and-UPPER", "ana").unwrap();
        assert!(d.check("Ana.Silva-1", "ana.silva-1").unwrap_err().to_string().contains("differ from the user name"));
    }
}
