/// An element that knows which of two comes out of a heap first.
protocol HeapOrdered {
    /// True when `self` must be popped before `other`.
    func comesBefore(_ other: Self) -> Bool
}

/// A binary min-heap: `pop` returns the element that comes first.
struct BinaryHeap<Element: HeapOrdered> {
    private var storage: [Element] = []

    init(capacity: Int = 0) {
        storage.reserveCapacity(capacity)
    }

    var isEmpty: Bool { storage.isEmpty }

    mutating func push(_ element: Element) {
        storage.append(element)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child].comesBefore(storage[parent]) else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Element? {
        guard let first = storage.first else { return nil }
        let last = storage.removeLast()
        if !storage.isEmpty {
            storage[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var best = parent
                if left < storage.count, storage[left].comesBefore(storage[best]) { best = left }
                if right < storage.count, storage[right].comesBefore(storage[best]) { best = right }
                if best == parent { break }
                storage.swapAt(parent, best)
                parent = best
            }
        }
        return first
    }
}
