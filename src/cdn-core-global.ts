/**
 * Types of `monasca-client/cdn-core`: the lean <script> build defines one global, `MonascaCore`
 * (`<script src=".../monasca-core.iife.min.js">`). `/// <reference types="monasca-client/cdn-core" />`
 * makes `MonascaCore.createClient` known to the compiler. A name of its own, so that a page (or a
 * project's types) can hold both builds without one `Monasca` shadowing the other.
 */
import type * as MonascaCoreExports from './cdn-core.js'

declare global {
  /** The lean IIFE's namespace: `monasca-client/core`'s client and resources, no Keystone login. */
  var MonascaCore: typeof MonascaCoreExports
}

export {}
