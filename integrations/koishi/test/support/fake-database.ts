// The few database calls Koishi makes to attach users and channels to a session, on plain maps. It stands in
// for a real database plugin (none is a dependency here) so that command authority is checked as in a bot.

type Row = Record<string, unknown>;

function pick(row: Row, fields?: readonly string[]): Row {
  if (fields == null || !Array.isArray(fields)) return { ...row };
  const out: Row = {};
  for (const field of fields) if (field in row) out[field] = row[field];
  return out;
}

/** A minimal in-memory `ctx.database` for users and channels. */
export function fakeDatabase() {
  const users = new Map<string, Row>();
  const channels = new Map<string, Row>();
  let nextId = 1;
  const createUser = async (platform: string, pid: string, data: Row): Promise<Row> => {
    const user: Row = { id: nextId++, flag: 0, authority: 1, permissions: [], locales: [], ...data };
    users.set(`${platform}:${pid}`, user);
    return { ...user };
  };
  return {
    getUser: async (platform: string, pid: string, fields?: string[]) => {
      const user = users.get(`${platform}:${pid}`);
      return user && pick(user, fields);
    },
    createUser,
    setUser: async (platform: string, pid: string, data: Row) => {
      Object.assign(users.get(`${platform}:${pid}`) ?? {}, data);
    },
    getChannel: async (platform: string, id: string, fields?: string[]) => {
      const channel = channels.get(`${platform}:${id}`);
      return channel && { ...pick(channel, fields), platform, id };
    },
    createChannel: async (platform: string, id: string, data: Row) => {
      const channel: Row = { id, platform, flag: 0, assignee: '', permissions: [], locales: [], ...data };
      channels.set(`${platform}:${id}`, channel);
      return { ...channel };
    },
    setChannel: async (platform: string, id: string, data: Row) => {
      Object.assign(channels.get(`${platform}:${id}`) ?? {}, data);
    },
    /** Test helper: the user's authority (creates the user). */
    setAuthority: async (platform: string, pid: string, authority: number) => {
      const user = users.get(`${platform}:${pid}`);
      if (user !== undefined) user.authority = authority;
      else await createUser(platform, pid, { authority });
    },
  };
}
