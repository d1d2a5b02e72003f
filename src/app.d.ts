import type { App as RucheApp } from '$lib/server/app';
import type { Actor } from '$lib/server/policy/actor';
import type { Locale, T } from '$lib/i18n';

declare global {
  namespace App {
    interface Locals {
      app: RucheApp;
      actor: Actor;
      /** The signed-in member, or null for a visitor. */
      user: CurrentUser | null;
      locale: Locale;
      timeZone: string;
      t: T;
      /** True when authenticated by a personal access token rather than a cookie. */
      viaToken: boolean;
      /** Form keys this request's page holds (`formKey(event)`), renewed in each copy the page cache serves. */
      formKeys?: string[];
    }
    interface Error {
      message: string;
      code?: string;
    }
  }
  type CurrentUser = {
    id: string;
    name: string;
    handle: string;
    email: string;
    isAdmin: boolean;
    locale: Locale;
    timeZone: string;
    avatarFileId: string | null;
  };
}
export {};
