import { EnrollMany } from './enroll-many';
import { EnrollOne } from './enroll-one';

export function EnrollPage({ params }: { params: URLSearchParams }) {
  const sequenceId = params.get('sequenceId') ?? '';
  return (
    <section>
      <h1>Enroll</h1>
      <div class="grid two">
        <EnrollOne initialSequence={sequenceId} />
        <EnrollMany initialSequence={sequenceId} />
      </div>
    </section>
  );
}
