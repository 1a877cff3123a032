# uuid: name-based uuid3/uuid5 (same as CPython), uuid4's form from the kernel's randomness, parsing and fields
import uuid

for ns in [uuid.NAMESPACE_DNS, uuid.NAMESPACE_URL]:
    print(uuid.uuid3(ns, 'python.org'), uuid.uuid5(ns, 'python.org'), uuid.uuid5(ns, 'ünï'))
u = uuid.UUID('{12345678-1234-5678-1234-567812345678}')
print(u, repr(u), u.hex, u.int, u.bytes, u.bytes_le, u.fields, u.urn, u.version, u.variant, u.time_low, u.node)
print(uuid.UUID(bytes=u.bytes) == u, uuid.UUID(int=u.int) == u, uuid.UUID(fields=u.fields) == u, uuid.UUID(bytes_le=u.bytes_le) == u)
v4 = [uuid.uuid4() for _ in range(100)]
print(len(set(v4)), all(x.version == 4 and x.variant == uuid.RFC_4122 for x in v4), len(str(v4[0])), str(v4[0])[14])
v1 = uuid.uuid1()
print(v1.version, v1.variant, uuid.uuid1() != v1)
print(sorted([uuid.UUID(int=5), uuid.UUID(int=2)]), hash(u) == hash(uuid.UUID(str(u))))
for bad in ['xyz', '12345678-1234-5678-1234-56781234567']:
    try:
        uuid.UUID(bad)
    except ValueError as e:
        print('ValueError:', e)
try:
    uuid.UUID(int=-1)
except ValueError as e:
    print('ValueError:', e)
