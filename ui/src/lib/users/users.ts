// Users: their pages, the add-user form and creating them. Renames, tags and policies are
// the principals' API (one code path for users, groups and roles); credentials and MFA have
// their own.
import type { FieldError, NewUser, UserDetail } from '../bindings';
import { DomainApi } from '../change';

export class UsersApi extends DomainApi {
  /** One user in full, for its page. */
  get(name: string): Promise<UserDetail> {
    return this.backend.getUser(this.profile, name);
  }

  /** The add-user form's errors, by field, checked by the Rust side before anything is sent. */
  validate(user: NewUser): Promise<FieldError[]> {
    return this.backend.validateNewUser(user);
  }

  /**
   * Creates a user with its groups (new ones too), tags and policies, or a copy of another
   * user's groups and policies. Reloads its row and the rows of every group it joins, after
   * a failure too: part of it may have been made.
   */
  create(user: NewUser): Promise<void> {
    return this.change((profile) => this.backend.createUser(profile, user));
  }
}
