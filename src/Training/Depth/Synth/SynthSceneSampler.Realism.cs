namespace ConR.Training.Depth.Synth;

// The realism options (SynthRealism) of the room sampler. Each draws from its own stream of the scene, never from the
// main one, so with an option off nothing of it happens and the main stream's draws, and so the first generator's
// scene, stay exactly as they were.
internal static partial class SynthSceneSampler
{
    private const uint CameraStream = 1, ObjectsStream = 2, LightingStream = 3, TexturesStream = 4;

    private sealed partial class RoomSampler
    {
        private readonly SynthRealism realism;
        private readonly int seed;
        private readonly int index;

        // Where a lamp's bulb would be (under each shade, below each ceiling light) and the lamp's object (-1: none),
        // recorded as the pieces are built whatever the options; only the lighting option turns them into lights.
        private readonly List<(V3 Position, int Object)> bulbs = [];

        // Not readonly: the objects option builds its pieces with the same helpers as the first generator's, which all
        // draw from `rng`, so it points `rng` at its own stream while it places them.
        private SynthRng rng;

        private SynthRng Stream(uint stream) => SynthRng.Substream(seed, index, stream);

        // The camera option: height and pitch from the camera stream, in place of the main stream's (still drawn).
        private (double Height, double Pitch) RealisticCamera(double cameraHeight, double pitch)
        {
            if (realism.CameraHeight is null && realism.CameraPitch is null) return (cameraHeight, pitch);
            var camera = Stream(CameraStream);
            if (realism.CameraHeight is { } h) cameraHeight = Math.Min(camera.Range(h.Min, h.Max), height - 0.15);
            if (realism.CameraPitch is { } p) pitch = camera.Range(p.Min, p.Max) * Math.PI / 180;
            return (cameraHeight, pitch);
        }

        // The objects option: more of the free-standing pieces and new kinds in the space the first generator left.
        private void AddClutter()
        {
            var main = rng;
            rng = Stream(ObjectsStream);
            try
            {
                int count = 3 + rng.Int(6);
                for (int i = 0; i < count; i++)
                {
                    for (int attempt = 0; attempt < 10; attempt++)
                    {
                        double x = rng.Range(0.3, width - 0.3);
                        double z = rng.Range(Math.Min(camZ + 0.3, depth - 0.4), depth - 0.3);
                        if (TryPlaceClutter(x, z)) break;
                    }
                }

                int pendants = rng.Int(3);
                for (int i = 0; i < pendants; i++) PendantLamp();
            }
            finally
            {
                rng = main;
            }
        }

        private bool TryPlaceClutter(double x, double z)
        {
            int kind = rng.Int(7);
            if (kind >= 5) return TryPlaceFree(x, z, null);
            double yaw = rng.Range(0, Math.PI);
            (double w, double d) = kind switch
            {
                0 => (0.36, 0.36), // stool
                1 => (0, 0), // bin
                2 => (rng.Range(0.9, 1.6), 0.45), // folding screen
                3 => (rng.Range(0.2, 0.35), rng.Range(0.15, 0.25)), // stack of books
                _ => (rng.Range(0.4, 0.7), rng.Range(0.4, 0.7)), // floor cushion
            };
            double radius = kind == 1 ? rng.Range(0.12, 0.18) : 0;
            if (radius > 0) w = d = 2 * radius;
            var frame = new Frame(x, z, yaw);
            if (!TryReserve(frame.Footprint(w, d), gap: 0.05)) return false;
            switch (kind)
            {
                case 0: Stool(frame); break;
                case 1: Bin(frame, radius); break;
                case 2: FoldingScreen(frame, w); break;
                case 3: BookStack(frame, w, d); break;
                default: FloorCushion(frame, w, d); break;
            }

            return true;
        }

        private void Stool(Frame f)
        {
            int mat = Finish();
            double h = rng.Range(0.45, 0.75);
            b.BeginObject();
            b.AddCylinder(new V3(f.X, h - 0.02, f.Z), 0.17, 0.02, rng.Chance(0.5) ? mat : Fabric());
            for (int leg = 0; leg < 3; leg++)
            {
                double a = f.Yaw + (leg * 2 * Math.PI / 3);
                b.AddBox(new V3(f.X + (0.12 * Math.Sin(a)), (h - 0.04) / 2, f.Z + (0.12 * Math.Cos(a))), new V3(0.015, (h - 0.04) / 2, 0.015), a, mat);
            }

            b.EndObject();
        }

        private void Bin(Frame f, double radius)
        {
            double h = rng.Range(0.25, 0.45);
            b.BeginObject();
            b.AddCylinder(new V3(f.X, h / 2, f.Z), radius, h / 2, Paint(rng.Range(0, 360), rng.Range(0, 0.7), rng.Range(0.15, 0.9)));
            b.EndObject();
        }

        // Three panels in a zig-zag, each turned 0.35 rad the other way.
        private void FoldingScreen(Frame f, double w)
        {
            int mat = rng.Chance(0.5) ? Fabric() : Wood();
            double h = rng.Range(1.5, 1.8);
            double panel = w / 3;
            b.BeginObject();
            for (int i = 0; i < 3; i++)
            {
                var at = f.World((i - 1) * panel * 0.94, h / 2, 0);
                double turn = (i % 2 == 0 ? 1 : -1) * 0.35;
                b.AddBox(at, new V3(panel / 2, h / 2, 0.012), f.Yaw + turn, mat);
            }

            b.EndObject();
        }

        private void BookStack(Frame f, double w, double d)
        {
            int books = 2 + rng.Int(5);
            double y = 0;
            b.BeginObject();
            for (int i = 0; i < books; i++)
            {
                double t = rng.Range(0.02, 0.05);
                b.AddBox(new V3(f.X, y + (t / 2), f.Z), new V3(w / 2 * rng.Range(0.8, 1), t / 2, d / 2 * rng.Range(0.8, 1)), f.Yaw + rng.Normal(0, 0.15),
                    Paint(rng.Range(0, 360), rng.Range(0.2, 0.8), rng.Range(0.2, 0.85)));
                y += t;
            }

            b.EndObject();
        }

        private void FloorCushion(Frame f, double w, double d)
        {
            double h = rng.Range(0.1, 0.2);
            b.BeginObject();
            Box(f, 0, h / 2, 0, w / 2, h / 2, d / 2, Fabric());
            b.EndObject();
        }

        // Hangs from the ceiling clear of the walls' furniture and of the camera; bottom at 1.9 m or higher.
        private void PendantLamp()
        {
            double x = rng.Range(0.8, width - 0.8);
            double z = rng.Range(0.8, depth - 0.8);
            double r = rng.Range(0.1, 0.2);
            double cord = rng.Range(0.3, 0.9);
            cord = Math.Min(cord, height - 1.9 - (2 * r));
            double dx = x - camX, dz = z - camZ;
            if (cord < 0.1 || (dx * dx) + (dz * dz) < 0.8 * 0.8) return;
            int shade = b.AddMaterial(new SynthMaterial(
                SynthPattern.Fabric, Hsv(rng.Range(20, 60), rng.Range(0, 0.5), rng.Range(0.6, 0.95)), V3.Zero, 1, 0.05, rng.NextSeed(), emission: 0.5));
            double shadeY = height - cord - r;
            b.BeginObject();
            b.AddCylinder(new V3(x, height - (cord / 2), z), 0.006, cord / 2, Solid(Hsv(0, 0, 0.15)));
            if (rng.Chance(0.5)) b.AddSphere(new V3(x, shadeY, z), r, shade);
            else b.AddCylinder(new V3(x, shadeY, z), r, r * 0.6, shade);
            b.EndObject();
            bulbs.Add((new V3(x, shadeY - r - 0.03, z), b.ObjectCount - 1));
        }

        // The lighting option: a lamp at every bulb position (or one overhead, out of view), the sun from full to
        // overcast, and a camera exposure that varies around 1.
        private (SynthPointLight[] Lamps, V3 Sun, V3 Ambient, double Exposure) Relight(V3 sun, V3 ambient)
        {
            var light = Stream(LightingStream);
            var positions = new List<(V3 Position, int Object)>(bulbs);
            if (positions.Count == 0 || light.Chance(0.3)) positions.Add((new V3(light.Range(0.5, width - 0.5), height - 0.1, light.Range(0.5, depth - 0.5)), -1));
            var lamps = new SynthPointLight[positions.Count];
            for (int i = 0; i < lamps.Length; i++)
                lamps[i] = new SynthPointLight(positions[i].Position, Hsv(light.Range(28, 50), light.Range(0.1, 0.45), 1) * light.Range(0.4, 1.5), positions[i].Object);
            double sunScale = light.Range(0.15, 1.1);
            double ambientScale = light.Range(0.6, 1.1);
            double exposure = Math.Exp(light.ClampedNormal(0, 0.3, -0.7, 0.7));
            return (lamps, sun * sunScale, ambient * ambientScale, exposure);
        }

        // The textures option: grime and grain on every material that does not glow, and brick or board cladding on
        // some painted walls.
        private void Retexture(int[] faces)
        {
            var tex = Stream(TexturesStream);
            var walls = new HashSet<int> { faces[0], faces[1], faces[4], faces[5] };
            for (int i = 0; i < b.MaterialCount; i++)
            {
                var m = b.Material(i);
                if (m.Emission > 0) continue;
                if (walls.Contains(i) && m.Pattern == SynthPattern.Paint)
                {
                    double pick = tex.Next();
                    if (pick < 0.3) m = Bricks(tex, m);
                    else if (pick < 0.5) m = Boards(tex);
                }

                b.ReplaceMaterial(i, m with { Grime = tex.Range(0.1, 0.3), Grain = tex.Range(0.1, 0.3) });
            }
        }

        private static SynthMaterial Bricks(SynthRng tex, SynthMaterial paint)
        {
            // Bare brick, or brick painted over in the wall's own colour.
            var brick = tex.Chance(0.6) ? Hsv(tex.Range(5, 30), tex.Range(0.35, 0.7), tex.Range(0.3, 0.65)) : paint.ColorA;
            var mortar = Hsv(tex.Range(20, 50), tex.Range(0, 0.15), tex.Range(0.5, 0.85));
            return new SynthMaterial(SynthPattern.Brick, brick, mortar, tex.Range(0.065, 0.085), 0.15, tex.NextSeed());
        }

        private static SynthMaterial Boards(SynthRng tex)
        {
            var wood = Hsv(tex.Range(18, 40), tex.Range(0.3, 0.7), tex.Range(0.3, 0.8));
            return new SynthMaterial(SynthPattern.Planks, wood, wood * tex.Range(0.7, 1.1), tex.Range(0.1, 0.2), 0, tex.NextSeed());
        }
    }
}
