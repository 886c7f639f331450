// The build config an app gets when it brings none: React, and relative asset URLs so the
// output works under /apps/<slug>/. Lives in the OS so its imports resolve to the shared toolchain.
import react from '@vitejs/plugin-react';

export default { plugins: [react()], base: './', logLevel: 'info', build: { reportCompressedSize: false } };
