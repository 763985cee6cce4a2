import { href } from '../router';

export function NotFoundPage() {
  return (
    <section>
      <h1>Nothing here</h1>
      <p>
        This address is not a page of the console. Go to the <a href={href(['enrollments'])}>enrollments</a>.
      </p>
    </section>
  );
}
