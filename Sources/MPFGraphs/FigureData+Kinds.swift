/// The part of the matplotlib script that draws each kind of figure, one function per kind;
/// each is Python run once per panel (`ax`, `mine`: the panel's rows).
extension FigureData {
  func kindCode() -> String {
    switch figure.kind {
    case .line, .scatter: plotLine()
    case .bar: plotBar()
    case .box: plotBox()
    case .violin: plotViolin()
    case .cdf: plotCdf()
    case .heatmap: plotHeatmap()
    }
  }

  func plotLine() -> String {
    return """
            for s, name in enumerate(SERIES):
                points = [r for r in mine if r["series"] == name]
                xs = [float(r["x"]) for r in points]
                ys = [float(r["y"]) for r in points]
                err = [[y - num(r["y_low"]) if r["y_low"] else 0 for y, r in zip(ys, points)],
                       [num(r["y_high"]) - y if r["y_high"] else 0 for y, r in zip(ys, points)]]
                colour, marker, dash = style(s)
                style_ = dict(color=colour, marker=marker, label=name if p == 0 else None)
                if \(figure.kind == .line ? "True" : "False"):
                    each_run(ax, xs, points, 0, COLOURS[s % 8])
                    ax.errorbar(xs, ys, yerr=err, linestyle=dash, capsize=3, **style_)
                else:
                    ax.scatter(xs, ys, alpha=0.75, **style_)

        """
  }

  func plotBar() -> String {
    return """
            for s, name in enumerate(SERIES):
                points, xs, width = grouped(mine, s, name, 0.8)
                ys = [float(r["y"]) for r in points]
                err = [[y - num(r["y_low"]) if r["y_low"] else 0 for y, r in zip(ys, points)],
                       [num(r["y_high"]) - y if r["y_high"] else 0 for y, r in zip(ys, points)]]
                ax.bar(xs, ys, width * 0.92, yerr=err, capsize=3, color=COLOURS[s % 8], hatch=HATCHES[s % 8],
                       edgecolor="white", label=name if p == 0 else None)
                each_run(ax, xs, points, width * 0.6, "#222222")
            category_ticks(ax)

        """
  }

  func plotBox() -> String {
    return """
            for s, name in enumerate(SERIES):
                points, xs, width = grouped(mine, s, name, 0.7)
                stats = [dict(whislo=float(r["whisker_low"]), q1=float(r["q1"]), med=float(r["median"]),
                              q3=float(r["q3"]), whishi=float(r["whisker_high"]), fliers=[]) for r in points]
                each_run(ax, xs, points, width * 0.5, COLOURS[s % 8])
                box = ax.bxp(stats, positions=xs, widths=width * 0.8, patch_artist=True)
                for patch in box["boxes"]:
                    patch.set(facecolor=COLOURS[s % 8], alpha=0.4)
                ax.plot([], [], color=COLOURS[s % 8], linewidth=6, label=name if p == 0 else None)
            category_ticks(ax)

        """
  }

  func plotViolin() -> String {
    return """
            for s, name in enumerate(SERIES):
                points, xs, width = grouped(mine, s, name, 0.7)
                each_run(ax, xs, points, width * 0.5, COLOURS[s % 8])
                for x, r in zip(xs, points):
                    density = [float(v) for v in r["density"].split()]
                    if len(density) > 1 and max(density) > 0:
                        low, high = float(r["density_low"]), float(r["density_high"])
                        ys = [low + (high - low) * i / (len(density) - 1) for i in range(len(density))]
                        half = [d / max(density) * width * 0.4 for d in density]
                        ax.fill_betweenx(ys, [x - h for h in half], [x + h for h in half], color=COLOURS[s % 8], alpha=0.3)
                    ax.vlines(x, float(r["q1"]), float(r["q3"]), color=COLOURS[s % 8], linewidth=4)
                    ax.scatter([x], [float(r["median"])], color="white", edgecolors=COLOURS[s % 8], zorder=3)
                ax.plot([], [], color=COLOURS[s % 8], linewidth=6, label=name if p == 0 else None)
            category_ticks(ax)

        """
  }

  func plotCdf() -> String {
    return """
            for s, name in enumerate(SERIES):
                points = [r for r in mine if r["series"] == name]
                xs = [float(r["x"]) for r in points]
                ys = [float(r["fraction"]) for r in points]
                ax.step([xs[0]] + xs, [0] + ys, where="post", color=style(s)[0], linestyle=style(s)[2],
                        label=name if p == 0 else None)

        """
  }

  func plotHeatmap() -> String {
    let heatScale = AxisScale(values: figure.marks.compactMap(\.value), unit: figure.valueUnit, log: false, fromZero: false)
    return """
            grid = [[float("nan")] * len(CATEGORIES) for _ in ROWS]
            for r in mine:
                grid[ROWS.index(r["y"])][CATEGORIES.index(r["x"])] = float(r["value"])
            image = ax.imshow(grid, origin="lower", cmap="viridis", aspect="auto")
            category_ticks(ax)
            ax.set_yticks(range(len(ROWS)))
            ax.set_yticklabels(ROWS)
            fig.colorbar(image, ax=ax, label=\(python(heatScale.label(figure.legendTitle ?? ""))))

        """
  }
}
