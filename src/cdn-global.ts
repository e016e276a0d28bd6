/**
 * Types of `monasca-client/cdn`: the <script> build defines one global, `Monasca`, holding everything
 * the main entry exports. `/// <reference types="monasca-client/cdn" />` (or an import of this
 * entry's types) makes `Monasca.createClient` known to the compiler.
 */
import type * as MonascaExports from './index.js'

declare global {
  /** The IIFE's namespace (`<script src=".../monasca.iife.min.js">`). */
  var Monasca: typeof MonascaExports
}

export {}
