/** A safety number's 60 digits in groups of five, to read aloud group by group; read out whole by screen readers. */
import { groupDigits } from '../../format.js';

export function SafetyDigits({ label, digits }: { label: string; digits: string }) {
  return (
    <div className="digits" aria-label={`${label}: ${groupDigits(digits).join(' ')}`}>
      <h4>{label}</h4>
      <p>
        {groupDigits(digits).map((group, index) => (
          <span key={index}>{group}</span>
        ))}
      </p>
    </div>
  );
}
