//! Virtual MFA devices. The QR code is drawn here from the Base32 seed (moto's `QRCodePNG`
//! is random bytes, and AWS's is a PNG we would have to trust); the seed is shown once for
//! manual entry and never stored.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::rules::{self, NameKind};
use crate::sensitive::Sensitive;
use crate::vocab::{Changed, Done, Entity};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Serialize, Serializer};

/// A new virtual device. Its seed is a secret like a password: it lives in [`Sensitive`],
/// so it is never printed and is wiped when the enrolment is dropped.
#[derive(Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MfaEnrolment {
    pub serial: String,
    /// Base32, for typing into an authenticator by hand.
    #[serde(serialize_with = "reveal_to_the_enrolment_screen")]
    #[specta(type = String)]
    pub seed: Sensitive<String>,
    /// The `otpauth://` URI, drawn as an SVG QR code: the seed again, in another form.
    #[serde(serialize_with = "reveal_to_the_enrolment_screen")]
    #[specta(type = String)]
    pub qr_svg: Sensitive<String>,
}

/// The one place an MFA seed crosses IPC: `create_virtual_mfa` returns it to the
/// enrolment screen, once, because the person enrolling must type or scan it. Nothing
/// else serialises it ([`Sensitive`] refuses to), and AWS never shows it again.
fn reveal_to_the_enrolment_screen<S: Serializer>(secret: &Sensitive<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose())
}

/// What a label keeps as is: RFC 3986's unreserved characters, and `@`, which
/// authenticators show between the user and the account.
const LABEL: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'@');

/// `otpauth://totp/AWS:<user>@<account>?secret=…&issuer=AWS`: what authenticator apps
/// expect, as the AWS console builds it.
pub fn otpauth_uri(user: &str, account: &str, seed: &str) -> String {
    let label = utf8_percent_encode(&format!("AWS:{user}@{account}"), LABEL).to_string();
    format!("otpauth://totp/{label}?secret={seed}&issuer=AWS&algorithm=SHA1&digits=6&period=30")
}

pub fn qr_svg(data: &str) -> Result<String> {
    let code = qrcode::QrCode::new(data.as_bytes()).map_err(|e| Error::Internal(format!("QR code: {e}")))?;
    Ok(code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(220, 220).quiet_zone(true).build())
}

/// Creates the device; it does nothing until enabled with two codes.
pub async fn create_virtual_mfa(conn: &Connection, user: &str) -> Result<Done<MfaEnrolment>> {
    rules::name(NameKind::User, user)?;
    let out =
        conn.iam.create_virtual_mfa_device().virtual_mfa_device_name(user).send().await.map_err(|e| conn.error(e))?;
    let device = out.virtual_mfa_device.ok_or_else(|| Error::Internal("AWS returned no MFA device".into()))?;
    let seed = device
        .base32_string_seed
        .map(|b| Sensitive::new(String::from_utf8_lossy(b.as_ref()).into_owned()))
        .ok_or_else(|| Error::Internal("AWS returned no MFA seed".into()))?;
    let uri = Sensitive::new(otpauth_uri(user, &conn.identity.account, seed.expose()));
    let qr = Sensitive::new(qr_svg(uri.expose())?);
    let changed = Changed::created(Entity::MfaDevice { user: user.into(), serial: device.serial_number.clone() });
    Ok(Done::new(MfaEnrolment { serial: device.serial_number, seed, qr_svg: qr }, changed))
}

/// Two consecutive six-digit codes, as AWS requires; checked for shape before the call.
pub async fn enable_mfa(conn: &Connection, user: &str, serial: &str, code1: &str, code2: &str) -> Result<Changed> {
    rules::name(NameKind::User, user)?;
    rules::mfa_serial(serial)?;
    for code in [code1, code2] {
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::InvalidInput(format!("'{code}' is not a six-digit code from the authenticator.")));
        }
    }
    if code1 == code2 {
        return Err(Error::InvalidInput("Enter two consecutive codes: wait for the next one to appear.".into()));
    }
    call!(
        conn,
        conn.iam
            .enable_mfa_device()
            .user_name(user)
            .serial_number(serial)
            .authentication_code1(code1)
            .authentication_code2(code2)
    )?;
    Ok(Changed::updated(Entity::MfaDevice { user: user.into(), serial: serial.into() })
        .and(Changed::updated(Entity::user(user))))
}

pub async fn deactivate_mfa(conn: &Connection, user: &str, serial: &str) -> Result<Changed> {
    rules::name(NameKind::User, user)?;
    rules::mfa_serial(serial)?;
    call!(conn, conn.iam.deactivate_mfa_device().user_name(user).serial_number(serial))?;
    Ok(Changed::updated(Entity::MfaDevice { user: user.into(), serial: serial.into() })
        .and(Changed::updated(Entity::user(user))))
}

/// Whether a virtual device's serial, `arn:aws:iam::<account>:mfa/<path><name>`, carries
/// the name `user`: the whole name after the last `/`, so a device of "joana" is not one
/// of "ana". Case is ignored because IAM's names are: no other user can be "Ana" when
/// "ana" exists, and a device "Ana" would keep "ana" from enrolling one of its own.
pub fn is_named_for(serial: &str, user: &str) -> bool {
    serial.contains(":mfa/") && serial.rsplit('/').next().is_some_and(|name| name.eq_ignore_ascii_case(user))
}

/// Virtual devices named for `user` that no user holds. ListMFADevices stops listing a
/// device once it is deactivated, so these are what an interrupted deletion, a half-done
/// removal or an abandoned enrolment leave behind: each still holds its seed, and blocks
/// a user of that name from enrolling a new one. They can only be deleted.
pub async fn orphaned_devices(conn: &Connection, user: &str) -> Result<Vec<String>> {
    rules::name(NameKind::User, user)?;
    let devices: Vec<aws_sdk_iam::types::VirtualMfaDevice> = items!(
        conn,
        conn.iam.list_virtual_mfa_devices().assignment_status(aws_sdk_iam::types::AssignmentStatusType::Unassigned)
    )?;
    Ok(devices.into_iter().map(|d| d.serial_number).filter(|s| is_named_for(s, user)).collect())
}

/// Deletes a virtual device (deactivate it first if it is enabled).
/// No user holds it (it is deactivated), so the user it was for is named by its serial.
pub async fn delete_virtual_mfa(conn: &Connection, serial: &str) -> Result<Changed> {
    rules::mfa_serial(serial)?;
    call!(conn, conn.iam.delete_virtual_mfa_device().serial_number(serial))?;
    let user = serial.rsplit('/').next().unwrap_or_default();
    Ok(Changed::deleted(Entity::MfaDevice { user: user.into(), serial: serial.into() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_uri_authenticators_expect_and_draws_it() {
        let uri = otpauth_uri("ana.silva", "111111111111", "JBSWY3DPEHPK3PXP");
        assert_eq!(
            uri,
            "otpauth://totp/AWS%3Aana.silva@111111111111?secret=JBSWY3DPEHPK3PXP&issuer=AWS&algorithm=SHA1&digits=6&period=30"
        );
        // Everything but letters, digits and - . _ ~ @ is encoded, UTF-8 byte by byte.
        assert_eq!(
            otpauth_uri("josé+ci/x y", "1", "S"),
            "otpauth://totp/AWS%3Ajos%C3%A9%2Bci%2Fx%20y@1?secret=S&issuer=AWS&algorithm=SHA1&digits=6&period=30"
        );
        assert!(otpauth_uri("a-b.c_d~e", "1", "S").starts_with("otpauth://totp/AWS%3Aa-b.c_d~e@1?"));
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.contains("<path"), "{}", &svg[..80]);
    }

    #[test]
    fn a_device_is_named_for_a_user_by_its_whole_last_segment() {
        let named = |serial: &str, user: &str| is_named_for(serial, user);
        assert!(named("arn:aws:iam::111111111111:mfa/ana", "ana"));
        assert!(named("arn:aws:iam::111111111111:mfa/team/eu/ana", "ana"), "under a path");
        assert!(named("arn:aws-cn:iam::111111111111:mfa/Ana", "ana"), "IAM ignores case in names");
        assert!(named("arn:aws:iam::111111111111:mfa/ana.silva@corp", "ana.silva@corp"));
        assert!(!named("arn:aws:iam::111111111111:mfa/joana", "ana"), "joana is not ana");
        assert!(!named("arn:aws:iam::111111111111:mfa/ana2", "ana"));
        assert!(!named("arn:aws:iam::111111111111:mfa/ana/x", "ana"), "a path segment is not the name");
        assert!(!named("arn:aws:iam::111111111111:mfa/", "ana"));
        assert!(!named("GAHT12345678", "GAHT12345678"), "a hardware serial is no virtual device");
    }

    #[test]
    fn the_seed_is_never_printed_and_crosses_ipc_only_in_the_enrolment() {
        let e = MfaEnrolment {
            serial: "arn:aws:iam::111111111111:mfa/ana".into(),
            seed: Sensitive::new("JBSWY3DPEHPK3PXP".into()),
            qr_svg: Sensitive::new("<svg>QRJBSWY3DPEHPK3PXP</svg>".into()),
        };
        let printed = format!("{e:?} {e:#?}");
        assert!(!printed.contains("JBSWY3DPEHPK3PXP") && printed.contains("mfa/ana"), "{printed}");
        let sent = serde_json::to_value(&e).unwrap();
        assert_eq!(
            sent,
            serde_json::json!({
                "serial": "arn:aws:iam::111111111111:mfa/ana",
                "seed": "JBSWY3DPEHPK3PXP",
                "qrSvg": "<svg>QRJBSWY3DPEHPK3PXP</svg>",
            })
        );
    }
}
