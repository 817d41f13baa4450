/**
 * Owns the building blocks every capture screen shares: the model screens render from, the screen
 * section (its `data-screen` hook, labelled by a focusable heading the page moves focus to), the
 * buttons, and the upload control.
 */
import type { Child } from "hono/jsx";
import type { CaptureState } from "../core/capture/service.ts";

/** What every screen renders from: the session's capture state as GET /verify/{token}/state answers it. */
export interface PageModel {
  state: CaptureState;
}

export interface ScreenProps {
  name: string;
  title: string;
  children?: Child;
}

/** `tabindex=-1` on the heading: the page focuses it on every new screen, for screen readers. */
export function Screen({ name, title, children }: ScreenProps) {
  return (
    <section class="screen" data-screen={name} aria-labelledby={`${name}-title`}>
      <h1 id={`${name}-title`} tabindex={-1}>{title}</h1>
      {children}
    </section>
  );
}

export interface ButtonProps {
  /** The stable hook the page's scripts bind to (`data-action`). */
  action: string;
  kind?: "primary" | "secondary" | "link";
  children?: Child;
  [attribute: string]: unknown;
}

export function Button({ action, kind = "primary", children, ...rest }: ButtonProps) {
  return <button type="button" class={`button ${kind}`} data-action={action} {...rest}>{children}</button>;
}

/** A button that opens the file picker; the hidden input is the one the page reads. */
export function UploadButton({ label = "Upload a photo", kind = "secondary" }: { label?: string; kind?: string }) {
  return (
    <>
      <Button action="upload" kind={kind as ButtonProps["kind"]}>{label}</Button>
      <input type="file" accept="image/*" data-file hidden tabindex={-1} aria-hidden="true" />
    </>
  );
}

export function Tips({ items }: { items: string[] }) {
  return <ul class="tips">{items.map((item) => <li key={item}>{item}</li>)}</ul>;
}
