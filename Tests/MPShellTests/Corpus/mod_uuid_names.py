# uuid: name-based UUIDs are stable across runs and interpreters; ordering, hashing and the standard forms
import uuid

names = ['alpha', 'beta', 'gamma']
ids = {n: uuid.uuid5(uuid.NAMESPACE_URL, 'https://example.com/' + n) for n in names}
for n, u in ids.items():
    print(n, u, u.version, u.hex[:8], u.int % 1000)
print(sorted(ids.values())[0] == min(ids.values()), len({ids['alpha'], uuid.UUID(str(ids['alpha']))}))
u = uuid.uuid3(uuid.NAMESPACE_OID, '1.3.6.1')
print(u, u.urn, uuid.UUID(u.urn) == u, u.bytes[:4], u.fields[0], u.clock_seq, u.time_mid)
print(uuid.UUID('00000000-0000-0000-0000-000000000000').int, str(uuid.UUID(int=2 ** 128 - 1)), uuid.NAMESPACE_X500)
