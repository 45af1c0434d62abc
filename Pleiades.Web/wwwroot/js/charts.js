// A small wrapper around the vendored Chart.js (window.Chart), used by the Chart component.
// Charts are kept per canvas so that a live update changes the data in place instead of rebuilding the chart.
const charts = new WeakMap();
const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7',
    '#9c755f', '#bab0ac', '#86bcb6', '#d37295', '#fabfd2', '#b6992d', '#499894'];

function colours(count) {
    return Array.from({ length: count }, (_, i) => palette[i % palette.length]);
}

export function render(canvas, kind, labels, values, title) {
    const Chart = window.Chart;
    if (!Chart || !canvas) {
        return;
    }

    const existing = charts.get(canvas);
    if (existing && existing.$pleiadesKind === kind) {
        existing.data.labels = labels;
        existing.data.datasets[0].data = values;
        existing.data.datasets[0].backgroundColor = kind === 'line' ? 'rgba(78,121,167,0.25)' : colours(values.length);
        existing.update('none');
        return;
    }

    existing?.destroy();
    const round = kind === 'pie' || kind === 'doughnut';
    const chart = new Chart(canvas, {
        type: kind === 'hbar' ? 'bar' : kind,
        data: {
            labels,
            datasets: [{
                label: title,
                data: values,
                backgroundColor: kind === 'line' ? 'rgba(78,121,167,0.25)' : colours(values.length),
                borderColor: kind === 'line' ? '#4e79a7' : undefined,
                borderWidth: kind === 'line' ? 1.5 : 0,
                pointRadius: 0,
                fill: kind === 'line',
                tension: 0.2,
            }],
        },
        options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            indexAxis: kind === 'hbar' ? 'y' : 'x',
            plugins: { legend: { display: round, position: 'right' } },
            scales: round ? {} : { x: { ticks: { autoSkip: true, maxTicksLimit: 24 } }, y: { beginAtZero: true } },
        },
    });
    chart.$pleiadesKind = kind;
    charts.set(canvas, chart);
}

export function destroy(canvas) {
    charts.get(canvas)?.destroy();
    charts.delete(canvas);
}
