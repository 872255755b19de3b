// Groups: their pages, creating them, and their members.
import type { GroupRow } from '../bindings';
import { DomainApi } from '../change';

export class GroupsApi extends DomainApi {
  /** One group in full, for its page. */
  get(name: string): Promise<GroupRow> {
    return this.backend.getGroup(this.profile, name);
  }

  /** Creates a group. Reloads its row: it appears in the table. */
  async create(name: string, path: string): Promise<void> {
    await this.change((profile) => this.backend.createGroup(profile, name, path));
  }

  /**
   * Adds (`member`) or removes several users at once. Reloads both sides: the group's row and
   * each user's, after a failure too, since some users may have changed when one failed.
   */
  async setMembers(group: string, users: string[], member: boolean): Promise<void> {
    await this.change((profile) => this.backend.setGroupMembers(profile, group, users, member));
  }
}
