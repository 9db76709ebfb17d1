/// <reference types="vite/client" />

declare const __SECTION_NAME__: string;
declare const __SECTION_VERSION__: string;
