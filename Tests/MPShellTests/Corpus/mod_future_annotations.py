# from __future__ import annotations: forward references in annotations need not exist; the code runs as usual
from __future__ import annotations

class Node:
    def __init__(self, value: int, next: Node | None = None) -> None:
        self.value = value
        self.next = next
    def push(self, value: int) -> Node:
        return Node(value, self)
    def to_list(self) -> list[int]:
        out, n = [], self
        while n is not None:
            out.append(n.value)
            n = n.next
        return out

head = Node(1).push(2).push(3)
print(head.to_list())
def later(x: NotDefinedYet) -> AlsoMissing:
    return x
print(later('ok'))
