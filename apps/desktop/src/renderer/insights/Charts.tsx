import type { TalkTime } from '@tandem/shared';
import { useId } from 'react';
import { durationText, niceMax, percent } from './chart.ts';
import './insights.css';
import { useT } from '../i18n/useT.ts';

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 16, right: 12, bottom: 36, left: 44 };

/**
 * A column chart in SVG, one column per label; the figures are also in a table below it (a
 * screen reader reads the table; the picture has a summary as its name).
 */
export function ColumnChart({
  title,
  summary,
  labelHeading,
  unit,
  columns,
}: {
  readonly title: string;
  /** What the labels are, for the figures' table ("Week of"). */
  readonly labelHeading: string;
  /** What the picture shows, in a sentence: the SVG's accessible name. */
  readonly summary: string;
  readonly unit: string;
  readonly columns: readonly { readonly label: string; readonly value: number }[];
}) {
  const t = useT();
  const id = useId();
  const top = niceMax(Math.max(0, ...columns.map((c) => c.value)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, columns.length);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">
        {title}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} className="chart-svg">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(top * f)} y2={y(top * f)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(top * f) + 4} textAnchor="end" className="chart-axis">
              {Number((top * f).toFixed(2))}
            </text>
          </g>
        ))}
        {columns.map((c, i) => {
          const h = (c.value / top) * plotH;
          const x = PAD.left + i * slot + slot * 0.15;
          return (
            <g key={c.label}>
              <rect x={x} y={PAD.top + plotH - h} width={slot * 0.7} height={h} className="chart-bar" rx={3} />
              {columns.length <= 12 || i % 2 === 0 ? (
                <text x={x + slot * 0.35} y={HEIGHT - PAD.bottom + 16} textAnchor="middle" className="chart-axis">
                  {c.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <details className="chart-figures">
        <summary>{t('insights.figures')}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{labelHeading}</th>
              <th scope="col">{unit}</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr key={c.label}>
                <th scope="row">{c.label}</th>
                <td>{c.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** Talk time as horizontal bars, each with the person's name, time and share written beside it. */
export function TalkTimeBars({ title, talkTime }: { readonly title: string; readonly talkTime: readonly TalkTime[] }) {
  const t = useT();
  const id = useId();
  const most = Math.max(1, ...talkTime.map((person) => person.ms));
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">
        {title}
      </figcaption>
      {talkTime.length === 0 ? (
        <p className="empty">{t('insights.noTalk')}</p>
      ) : (
        <ul className="talk-bars">
          {talkTime.map((person) => (
            <li key={person.userId ?? `name:${person.name}`}>
              <span className="talk-name">{person.name}</span>
              <svg viewBox="0 0 100 10" preserveAspectRatio="none" className="talk-track" aria-hidden="true">
                <rect x={0} y={0} width={(person.ms / most) * 100} height={10} className="chart-bar" rx={1.5} />
              </svg>
              <span className="talk-value">
                {durationText(person.ms)} · {percent(person.share)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
