// The account: its alias (shown in the header), password policy, summary, credential
// report and security audit.
//
// The alias and the audit live here, not in components: the header and the dashboard show
// them, the audit view and the dashboard share one audit, and both are forgotten with
// everything else when another profile is selected (`reset`). A change made anywhere marks
// the audit stale; the audit view offers to run it again.
import type {
  AccountPasswordPolicy,
  AccountSummary,
  Acknowledgement,
  Audit,
  AuditFinding,
  CisPasswordPolicy,
  CredentialReport,
  ExportFormat,
  IpcError,
  PasswordPolicyState,
  ReportProgress,
} from '../bindings';
import { Latest } from '../ui/latest.svelte';
import { DomainApi } from '../change';
import type { Session } from '../session.svelte';

export class AccountApi extends DomainApi {
  /** The selected account's alias; `undefined` until read, `null` when it has none. */
  alias = $state<string | null | undefined>(undefined);
  audit = $state<Audit | null>(null);
  #auditRun = new Latest();
  get auditing(): boolean {
    return this.#auditRun.busy;
  }
  get auditError(): IpcError | null {
    return this.#auditRun.error;
  }
  /** A change was made since the audit ran: its findings may be out of date. */
  auditStale = $state(false);
  // The first audit after a selection moves the trend's baseline (`opened`).
  #auditedThisSelection = false;

  constructor(session: Session) {
    super(session);
    // The audit's findings were read before the change.
    session.onChange((scope) => {
      if (session.isCurrent(scope) && this.audit) this.auditStale = true;
    });
  }

  /** Forgets the previous account's alias and audit. */
  reset() {
    this.alias = undefined;
    this.audit = null;
    this.#auditRun.reset();
    this.auditStale = false;
    this.#auditedThisSelection = false;
  }

  /**
   * Shows the alias and audit last shown for the profile selected again (from the
   * workspace's cache); the next audit still moves the trend's baseline.
   */
  restore(alias: string | null | undefined, audit: Audit | null, auditStale: boolean) {
    this.reset();
    this.alias = alias;
    this.audit = audit;
    this.auditStale = audit !== null && auditStale;
  }

  /** Reads the alias for the header; a failure leaves it unknown (the header shows the id). */
  async loadAlias(): Promise<void> {
    const scope = this.session.scope();
    try {
      const alias = await this.backend.getAccountAlias(scope.profile);
      if (this.session.isCurrent(scope)) this.alias = alias;
    } catch {
      if (this.session.isCurrent(scope)) this.alias = undefined;
    }
  }

  /** Sets or changes the alias (AWS's rules are checked by the Rust side). */
  async setAlias(alias: string): Promise<void> {
    await this.change((profile) => this.backend.setAccountAlias(profile, alias));
    await this.loadAlias();
  }

  async removeAlias(): Promise<void> {
    await this.change((profile) => this.backend.removeAccountAlias(profile));
    await this.loadAlias();
  }

  passwordPolicy(): Promise<PasswordPolicyState> {
    return this.backend.getPasswordPolicy(this.profile);
  }

  /** Replaces the whole policy: AWS resets any field a request leaves out. */
  async updatePasswordPolicy(policy: AccountPasswordPolicy): Promise<void> {
    await this.change((profile) => this.backend.updatePasswordPolicy(profile, policy));
  }

  async deletePasswordPolicy(): Promise<void> {
    await this.change((profile) => this.backend.deletePasswordPolicy(profile));
  }

  /** The CIS preset built on the current policy, and what it changes. */
  cisPasswordPolicy(): Promise<CisPasswordPolicy> {
    return this.backend.getCisPasswordPolicy(this.profile);
  }

  summary(): Promise<AccountSummary> {
    return this.backend.getAccountSummary(this.profile);
  }

  /** Generates and reads the credential report; `onProgress` hears each poll. */
  credentialReport(onProgress: (p: ReportProgress) => void): Promise<CredentialReport> {
    return this.backend.getCredentialReport(this.profile, this.backend.channel(onProgress));
  }

  /** Saves the report as AWS sent it; the path, or null when the dialog was cancelled. */
  saveCredentialReport(): Promise<string | null> {
    return this.backend.saveCredentialReport(this.profile);
  }

  /** Runs the audit (again); the answer goes to `audit`, a failure to `auditError`. */
  async runAudit(): Promise<void> {
    const scope = this.session.scope();
    const opened = !this.#auditedThisSelection;
    this.#auditedThisSelection = true;
    await this.#auditRun.load(
      () => this.backend.runAudit(scope.profile, opened),
      (audit) => {
        this.audit = audit;
        this.auditStale = false;
      },
      () => this.session.isCurrent(scope),
    );
  }

  /** Runs the audit unless it has run for this selection. */
  async ensureAudit(): Promise<void> {
    if (!this.audit && !this.auditing) await this.runAudit();
  }

  /** Accepts a finding's risk with a reason (kept locally for this account). */
  async acknowledge(finding: AuditFinding, reason: string): Promise<Acknowledgement> {
    const scope = this.session.scope();
    const ack = await this.backend.acknowledgeFinding(scope.profile, finding.id, reason);
    if (this.session.isCurrent(scope)) this.#setAcknowledgement(finding.id, ack);
    // A cached audit of that profile no longer says what it knows.
    else this.session.forget(scope.profile);
    return ack;
  }

  async unacknowledge(finding: AuditFinding): Promise<void> {
    const scope = this.session.scope();
    await this.backend.unacknowledgeFinding(scope.profile, finding.id);
    if (this.session.isCurrent(scope)) this.#setAcknowledgement(finding.id, null);
    else this.session.forget(scope.profile);
  }

  /** Saves the findings shown; the path, or null when the dialog was cancelled. */
  saveAudit(format: ExportFormat, findings: AuditFinding[]): Promise<string | null> {
    return this.backend.saveAudit(this.profile, format, this.audit?.ranAt ?? '', findings);
  }

  #setAcknowledgement(id: string, ack: Acknowledgement | null) {
    if (!this.audit) return;
    const findings = this.audit.findings.map((f) => (f.id === id ? { ...f, acknowledged: ack } : f));
    this.audit = { ...this.audit, findings, counts: countOf(findings) };
  }
}

/** Findings per severity, acknowledged ones not counted (as the Rust side counts). */
export function countOf(findings: AuditFinding[]): Audit['counts'] {
  const c = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) {
    if (f.acknowledged) continue;
    if (f.severity === 'Critical') c.critical++;
    else if (f.severity === 'High') c.high++;
    else if (f.severity === 'Medium') c.medium++;
    else c.low++;
  }
  return c;
}
