import { mount } from 'svelte';
import App from './App.svelte';
import { backend } from './lib/backend';
import './app.css';

mount(App, { target: document.getElementById('app')!, props: { backend } });
