/// The geometry of a horizontal bar chart drawn as inline SVG by `partials/bar_chart`: the server computes
/// every coordinate, so the page needs no script and no chart library.
struct BarChart {
    var title: String
    var bars: [(label: String, value: Int)]

    static let width = 640
    static let labelWidth = 180
    static let barHeight = 22
    static let gap = 8
    /// Room right of the longest bar for its number.
    static let valueRoom = 70

    var values: [String: Any] {
        let largest = max(1, bars.map(\.value).max() ?? 1)
        let span = Self.width - Self.labelWidth - Self.valueRoom
        let rows: [[String: Any]] = bars.enumerated().map { index, bar in
            let y = index * (Self.barHeight + Self.gap)
            let length = bar.value == 0 ? 0 : max(2, bar.value * span / largest)
            return [
                "label": bar.label, "value": bar.value, "y": y, "textY": y + Self.barHeight * 2 / 3,
                "barX": Self.labelWidth, "barWidth": length, "valueX": Self.labelWidth + length + 6, "barHeight": Self.barHeight,
            ]
        }
        return [
            "title": title, "bars": rows, "hasBars": !rows.isEmpty, "width": Self.width,
            "height": max(Self.barHeight, bars.count * (Self.barHeight + Self.gap) - Self.gap),
        ]
    }
}
