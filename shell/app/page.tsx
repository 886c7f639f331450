import { Root } from '../src/shell/Root.tsx';

export default function Page() {
  return <Root />;
}
