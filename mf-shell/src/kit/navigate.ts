import { navigateToUrl } from 'single-spa';

/** Goes to a URL of another section or of the shell without reloading the page. */
export function navigate(url: string): void {
  navigateToUrl(url);
}
