namespace ConR.Training.Depth.Synth;

// Samples a random furnished room and camera from (seed, index) alone. The sampling ranges are tuned so that the
// pixel-depth distribution resembles NYUD2's (most pixels between 1.5 and 4 m, few below 1 m or beyond 6 m):
// the camera stands near one wall and looks across the room, the distance to the far wall is drawn around 4 m,
// and no furniture is placed within ~1 m of the camera.
internal static partial class SynthSceneSampler
{
    /// <summary>Horizontal field of view of the pinhole camera, like a Kinect's depth camera.</summary>
    public const double HorizontalFovDegrees = 58.0;

    public static SynthSceneDescription Sample(int seed, int index, SynthRealism? realism = null)
    {
        var rng = new SynthRng(seed, index);
        return new RoomSampler(rng, realism ?? SynthRealism.None, seed, index).Sample();
    }

    /// <summary>Linear RGB from sRGB-space hue (degrees), saturation and value.</summary>
    public static V3 Hsv(double hue, double saturation, double value)
    {
        hue = ((hue % 360) + 360) % 360;
        double c = value * saturation;
        double x = c * (1 - Math.Abs(((hue / 60) % 2) - 1));
        double m = value - c;
        (double r, double g, double b) = hue switch
        {
            < 60 => (c, x, 0.0),
            < 120 => (x, c, 0.0),
            < 180 => (0.0, c, x),
            < 240 => (0.0, x, c),
            < 300 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return new V3(ToLinear(r + m), ToLinear(g + m), ToLinear(b + m));
    }

    private static double ToLinear(double s) => Math.Pow(Math.Clamp(s, 0, 1), 2.2);

    private readonly record struct Rect(double X0, double Z0, double X1, double Z1);

    // A furniture frame on the floor: origin, yaw; local x across the piece, local +z towards its back.
    private readonly struct Frame
    {
        public Frame(double x, double z, double yaw)
        {
            X = x;
            Z = z;
            Yaw = yaw;
            Cos = Math.Cos(yaw);
            Sin = Math.Sin(yaw);
        }

        public double X { get; }

        public double Z { get; }

        public double Yaw { get; }

        public double Cos { get; }

        public double Sin { get; }

        public V3 World(double lx, double ly, double lz) => new(X + (Cos * lx) + (Sin * lz), ly, Z - (Sin * lx) + (Cos * lz));

        /// <summary>World-space bounds of the local rectangle [-w/2, w/2] × [-d/2, d/2].</summary>
        public Rect Footprint(double w, double d)
        {
            double ex = (Math.Abs(Cos) * w / 2) + (Math.Abs(Sin) * d / 2);
            double ez = (Math.Abs(Sin) * w / 2) + (Math.Abs(Cos) * d / 2);
            return new Rect(X - ex, Z - ez, X + ex, Z + ez);
        }
    }

    private sealed partial class RoomSampler
    {
        private readonly SynthSceneBuilder b = new();
        private readonly List<Rect> reserved = [];
        private double width;
        private double height;
        private double depth;
        private double camX;
        private double camZ;
        private double clearance;

        public RoomSampler(SynthRng rng, SynthRealism realism, int seed, int index)
        {
            this.rng = rng;
            this.realism = realism;
            this.seed = seed;
            this.index = index;
        }

        public SynthSceneDescription Sample()
        {
            // Room and camera. The camera stands `back` metres from the wall behind it and looks along +z.
            double back = rng.Range(0.2, 1.6);
            double far = rng.ClampedNormal(4.0, 1.3, 2.0, 8.5);
            depth = Math.Clamp(far + back, 3.0, 9.0);
            width = rng.Range(3.0, 7.0);
            height = rng.Range(2.4, 3.2);
            camZ = Math.Min(back, depth - 1.8);
            double margin = 0.7;
            camX = (width / 2) + (rng.ClampedNormal(0, 0.35, -1, 1) * ((width / 2) - margin));
            double camY = rng.Range(1.0, 1.8);
            double yaw = rng.ClampedNormal(0, 0.3, -0.7, 0.7);
            double pitch = rng.ClampedNormal(-0.17, 0.14, -0.55, 0.15);
            double roll = rng.ClampedNormal(0, 0.035, -0.1, 0.1);
            clearance = rng.Chance(0.3) ? rng.Range(0.3, 0.7) : rng.Range(0.7, 1.2);
            (camY, pitch) = RealisticCamera(camY, pitch);
            var camera = new SynthCamera(new V3(camX, camY, camZ), yaw, pitch, roll, HorizontalFovDegrees);

            int[] faces = ShellMaterials();
            AddDecals(faces);
            AddWallFurniture();
            AddFreeFurniture(yaw);
            if (realism.Objects) AddClutter();

            // Light: a sun or window light from above at a random azimuth, plus ambient.
            double elevation = rng.Range(0.35, 1.2);
            double azimuth = rng.Range(0, 2 * Math.PI);
            var lightDir = new V3(Math.Cos(elevation) * Math.Sin(azimuth), Math.Sin(elevation), Math.Cos(elevation) * Math.Cos(azimuth));
            var lightColor = Hsv(rng.Range(25, 55), rng.Range(0, 0.25), 1) * rng.Range(0.55, 1.05);
            var ambient = Hsv(rng.Range(190, 230), rng.Range(0, 0.15), 1) * rng.Range(0.2, 0.42);
            if (realism.Textures) Retexture(faces);
            if (!realism.Lighting) return b.Build(width, height, depth, camera, faces, lightDir, lightColor, ambient, noiseSeed: rng.NextSeed());
            var lit = Relight(lightColor, ambient);
            return b.Build(width, height, depth, camera, faces, lightDir, lit.Sun, lit.Ambient, noiseSeed: rng.NextSeed(), pointLights: lit.Lamps, exposure: lit.Exposure);
        }

        // Materials of the six room faces: walls (maybe one accent wall), floor, ceiling.
        private int[] ShellMaterials()
        {
            double wallHue = rng.Range(0, 360);
            int wall = b.AddMaterial(WallMaterial(wallHue, rng.Range(0, 0.3), rng.Range(0.55, 0.92)));
            int accentWall = rng.Chance(0.35) ? b.AddMaterial(AccentMaterial()) : wall;
            int floor = b.AddMaterial(FloorMaterial());
            int ceiling = b.AddMaterial(new SynthMaterial(
                SynthPattern.Paint, Hsv(rng.Range(0, 360), rng.Range(0, 0.06), rng.Range(0.8, 0.95)), V3.Zero, 1, 0.02, rng.NextSeed()));
            int[] faces = [wall, wall, floor, ceiling, wall, wall];
            int[] walls = [0, 1, 4, 5];
            faces[walls[rng.Int(4)]] = accentWall;
            return faces;
        }

        private SynthMaterial WallMaterial(double hue, double saturation, double value) =>
            new(SynthPattern.Paint, Hsv(hue, saturation, value), V3.Zero, rng.Range(0.5, 2.0), rng.Range(0.02, 0.07), rng.NextSeed());

        private SynthMaterial AccentMaterial()
        {
            if (rng.Chance(0.4))
            {
                double hue = rng.Range(0, 360);
                return new SynthMaterial(
                    SynthPattern.Stripes, Hsv(hue, rng.Range(0.05, 0.4), rng.Range(0.5, 0.9)), Hsv(hue + rng.Range(-40, 40), rng.Range(0.05, 0.4), rng.Range(0.4, 0.9)),
                    rng.Range(0.08, 0.35), 0.05, rng.NextSeed());
            }

            return WallMaterial(rng.Range(0, 360), rng.Range(0.1, 0.6), rng.Range(0.3, 0.85));
        }

        private SynthMaterial FloorMaterial()
        {
            double pick = rng.Next();
            if (pick < 0.45)
            {
                var wood = WoodColor();
                return new SynthMaterial(SynthPattern.Planks, wood, wood * rng.Range(0.6, 1.2), rng.Range(0.1, 0.22), 0, rng.NextSeed());
            }

            if (pick < 0.7)
            {
                return new SynthMaterial(
                    SynthPattern.Tiles, Hsv(rng.Range(0, 360), rng.Range(0, 0.3), rng.Range(0.4, 0.92)), Hsv(0, 0, rng.Range(0.3, 0.8)),
                    rng.Range(0.25, 0.6), 0.15, rng.NextSeed());
            }

            if (pick < 0.8)
            {
                double hue = rng.Range(0, 360);
                return new SynthMaterial(
                    SynthPattern.Checker, Hsv(hue, rng.Range(0, 0.3), rng.Range(0.7, 0.95)), Hsv(hue + rng.Range(0, 60), rng.Range(0, 0.5), rng.Range(0.1, 0.45)),
                    rng.Range(0.25, 0.5), 0.1, rng.NextSeed());
            }

            return new SynthMaterial(SynthPattern.Fabric, Hsv(rng.Range(0, 360), rng.Range(0, 0.45), rng.Range(0.25, 0.75)), V3.Zero, 1, 0.25, rng.NextSeed());
        }

        private V3 WoodColor() => Hsv(rng.Range(18, 40), rng.Range(0.35, 0.75), rng.Range(0.28, 0.8));

        private int Wood()
        {
            var c = WoodColor();
            return b.AddMaterial(new SynthMaterial(SynthPattern.Wood, c, c * rng.Range(0.6, 0.85), rng.Range(6, 20), 0, rng.NextSeed()));
        }

        private int Paint(double hue, double saturation, double value) =>
            b.AddMaterial(new SynthMaterial(SynthPattern.Paint, Hsv(hue, saturation, value), V3.Zero, rng.Range(1, 4), 0.03, rng.NextSeed()));

        private int Fabric() =>
            b.AddMaterial(new SynthMaterial(SynthPattern.Fabric, Hsv(rng.Range(0, 360), rng.Range(0.05, 0.7), rng.Range(0.2, 0.85)), V3.Zero, 1, 0.2, rng.NextSeed()));

        private int Solid(V3 color) => b.AddMaterial(SynthMaterial.Solid(color));

        /// <summary>A furniture finish: wood, painted, white or dark.</summary>
        private int Finish()
        {
            double pick = rng.Next();
            if (pick < 0.45) return Wood();
            if (pick < 0.75) return Paint(rng.Range(0, 360), rng.Range(0.1, 0.65), rng.Range(0.3, 0.9));
            if (pick < 0.9) return Paint(rng.Range(0, 360), rng.Range(0, 0.05), rng.Range(0.75, 0.95));
            return Paint(rng.Range(0, 360), rng.Range(0, 0.3), rng.Range(0.08, 0.25));
        }

        private double WallLength(int face) => face is 0 or 1 ? depth : width;

        // Windows, a door, pictures, skirting, a rug and ceiling lights: colour only, on the room faces.
        private void AddDecals(int[] faces)
        {
            int skirting = rng.Chance(0.5) ? Paint(0, 0, rng.Range(0.75, 0.95)) : Wood();
            double skirtingHeight = rng.Range(0.05, 0.12);
            foreach (int face in (int[])[0, 1, 4, 5]) b.AddDecal(face, 0, WallLength(face), 0, skirtingHeight, skirting);

            int[] visibleWalls = [0, 1, 5];
            int windows = rng.Int(3);
            for (int i = 0; i < windows; i++)
            {
                int face = visibleWalls[rng.Int(3)];
                double w = rng.Range(0.7, 2.0);
                double h = rng.Range(0.9, 1.6);
                double sill = rng.Range(0.6, Math.Max(0.7, height - h - 0.25));
                double u0 = rng.Range(0.2, Math.Max(0.3, WallLength(face) - w - 0.2));
                int frame = rng.Chance(0.6) ? Paint(0, 0, rng.Range(0.8, 0.95)) : Wood();
                int glass = b.AddMaterial(new SynthMaterial(
                    SynthPattern.Paint, Hsv(rng.Range(190, 220), rng.Range(0.05, 0.35), rng.Range(0.7, 0.95)), V3.Zero, 0.8, 0.08, rng.NextSeed(),
                    emission: rng.Range(0.9, 1.8)));
                b.AddDecal(face, u0, u0 + w, sill, sill + h, frame);
                b.AddDecal(face, u0 + 0.06, u0 + w - 0.06, sill + 0.06, sill + h - 0.06, glass);
                if (w > 1.0) b.AddDecal(face, u0 + (w / 2) - 0.03, u0 + (w / 2) + 0.03, sill, sill + h, frame);
            }

            if (rng.Chance(0.6))
            {
                int[] doorWalls = [0, 1, 4, 5];
                int face = doorWalls[rng.Int(4)];
                double w = rng.Range(0.8, 0.95);
                double u0 = rng.Range(0.15, WallLength(face) - w - 0.15);
                int frame = Paint(0, 0, rng.Range(0.7, 0.95));
                int door = rng.Chance(0.5) ? Wood() : Finish();
                b.AddDecal(face, u0 - 0.06, u0 + w + 0.06, 0, rng.Range(2.05, 2.15), frame);
                b.AddDecal(face, u0, u0 + w, 0, 2.02, door);
            }

            int pictures = rng.Int(4);
            for (int i = 0; i < pictures; i++)
            {
                int face = visibleWalls[rng.Int(3)];
                double w = rng.Range(0.25, 1.1);
                double h = rng.Range(0.25, 0.8);
                double cy = rng.Range(1.2, Math.Min(1.9, height - (h / 2) - 0.1));
                double u0 = rng.Range(0.1, WallLength(face) - w - 0.1);
                int frame = rng.Chance(0.5) ? Wood() : Paint(0, 0, rng.Chance(0.5) ? 0.1 : 0.9);
                int art = rng.Chance(0.5)
                    ? b.AddMaterial(new SynthMaterial(SynthPattern.Paint, Hsv(rng.Range(0, 360), rng.Range(0.2, 0.8), rng.Range(0.3, 0.9)), V3.Zero, rng.Range(2, 8), 0.3, rng.NextSeed()))
                    : b.AddMaterial(new SynthMaterial(
                        SynthPattern.Stripes, Hsv(rng.Range(0, 360), rng.Range(0.2, 0.8), rng.Range(0.3, 0.9)), Hsv(rng.Range(0, 360), rng.Range(0.2, 0.8), rng.Range(0.3, 0.9)),
                        rng.Range(0.05, 0.3), 0.2, rng.NextSeed()));
                b.AddDecal(face, u0, u0 + w, cy - (h / 2), cy + (h / 2), frame);
                b.AddDecal(face, u0 + 0.03, u0 + w - 0.03, cy - (h / 2) + 0.03, cy + (h / 2) - 0.03, art);
            }

            if (rng.Chance(0.45))
            {
                double w = rng.Range(1.2, Math.Min(3.0, width - 0.6));
                double d = rng.Range(0.9, Math.Min(2.5, depth - 0.6));
                double x0 = rng.Range(0.3, width - w - 0.3);
                double z0 = rng.Range(0.3, depth - d - 0.3);
                int rug = rng.Chance(0.5)
                    ? Fabric()
                    : b.AddMaterial(new SynthMaterial(
                        SynthPattern.Stripes, Hsv(rng.Range(0, 360), rng.Range(0.2, 0.7), rng.Range(0.3, 0.8)), Hsv(rng.Range(0, 360), rng.Range(0.2, 0.7), rng.Range(0.2, 0.8)),
                        rng.Range(0.1, 0.4), 0.2, rng.NextSeed()));
                b.AddDecal(SynthSceneDescription.Floor, x0, x0 + w, z0, z0 + d, rug);
            }

            int lights = rng.Int(3);
            for (int i = 0; i < lights; i++)
            {
                double s = rng.Range(0.3, 0.6);
                double x = rng.Range(0.5, width - 0.5);
                double z = rng.Range(0.5, depth - 0.5);
                int lamp = b.AddMaterial(new SynthMaterial(SynthPattern.Solid, Hsv(rng.Range(30, 60), rng.Range(0, 0.2), 0.95), V3.Zero, 1, 0, 0, emission: 1.5));
                b.AddDecal(SynthSceneDescription.Ceiling, x - s, x + s, z - s, z + s, lamp);
                bulbs.Add((new V3(x, height - 0.1, z), -1));
            }
        }

        // Whether a footprint fits in the room, clear of the camera and of everything placed so far; reserves it.
        // Entry `ignore` is not checked (a chair may tuck under the table it belongs to).
        private bool TryReserve(Rect r, double gap = 0.05, int ignore = -1)
        {
            if (r.X0 < -1e-6 || r.Z0 < -1e-6 || r.X1 > width + 1e-6 || r.Z1 > depth + 1e-6) return false;
            double dx = Math.Max(0, Math.Max(r.X0 - camX, camX - r.X1));
            double dz = Math.Max(0, Math.Max(r.Z0 - camZ, camZ - r.Z1));
            if ((dx * dx) + (dz * dz) < clearance * clearance) return false;
            for (int i = 0; i < reserved.Count; i++)
            {
                if (i == ignore) continue;
                var o = reserved[i];
                if (r.X0 < o.X1 + gap && o.X0 < r.X1 + gap && r.Z0 < o.Z1 + gap && o.Z0 < r.Z1 + gap) return false;
            }

            reserved.Add(r);
            return true;
        }

        // A frame whose back (+z local) touches the wall, centred at `along` metres along it.
        private Frame WallFrame(int face, double along, double itemDepth)
        {
            const double Gap = 0.01;
            return face switch
            {
                0 => new Frame((itemDepth / 2) + Gap, along, -Math.PI / 2),
                1 => new Frame(width - (itemDepth / 2) - Gap, depth - along, Math.PI / 2),
                4 => new Frame(width - along, (itemDepth / 2) + Gap, Math.PI),
                _ => new Frame(along, depth - (itemDepth / 2) - Gap, 0),
            };
        }

        private void AddWallFurniture()
        {
            foreach (int face in (int[])[5, 0, 1, 4])
            {
                double length = WallLength(face);
                double fill = face == 4 ? 0.2 : rng.Range(0.3, 0.8);
                double s = rng.Range(0, 0.8);
                while (s < length - 0.4)
                {
                    if (!rng.Chance(fill))
                    {
                        double skip = rng.Range(0.4, 1.4);
                        if (rng.Chance(0.25)) AddWallShelf(face, s, Math.Min(skip, length - s));
                        s += skip;
                        continue;
                    }

                    int kind = rng.Int(9);
                    (double w, double d) = kind switch
                    {
                        0 => (rng.Range(0.6, 1.6), rng.Range(0.4, 0.6)), // cabinet / dresser
                        1 => (rng.Range(0.8, 2.0), rng.Range(0.5, 0.65)), // wardrobe
                        2 => (rng.Range(0.6, 1.2), rng.Range(0.28, 0.4)), // bookshelf
                        3 => (rng.Range(1.0, 1.9), rng.Range(1.9, 2.1)), // bed
                        4 => (rng.Range(1.5, 2.4), rng.Range(0.8, 0.95)), // sofa
                        5 => (rng.Range(1.0, 1.6), rng.Range(0.55, 0.75)), // desk
                        6 => (rng.Range(1.5, 3.2), 0.6), // kitchen counter
                        7 => (rng.Range(1.0, 1.8), rng.Range(0.4, 0.5)), // TV stand
                        _ => (rng.Range(0.4, 0.9), rng.Range(0.35, 0.5)), // small table / nightstand
                    };
                    if (s + w > length - 0.05)
                    {
                        s += 0.3;
                        continue;
                    }

                    var frame = WallFrame(face, s + (w / 2), d);
                    if (TryReserve(frame.Footprint(w, d)))
                    {
                        switch (kind)
                        {
                            case 0: Cabinet(frame, w, d, rng.Range(0.7, 1.2), drawers: true); break;
                            case 1: Cabinet(frame, w, d, rng.Range(1.8, Math.Min(2.3, height - 0.1)), drawers: false); break;
                            case 2: Bookshelf(frame, w, d, rng.Range(1.0, Math.Min(2.1, height - 0.1))); break;
                            case 3: Bed(frame, w, d); break;
                            case 4: Sofa(frame, w, d); break;
                            case 5: Desk(frame, w, d); break;
                            case 6: Counter(frame, w, d); break;
                            case 7: TvStand(frame, w, d); break;
                            default: Cabinet(frame, w, d, rng.Range(0.45, 0.75), drawers: true); break;
                        }
                    }

                    s += w + rng.Range(0.05, 0.9);
                }
            }
        }

        private void AddFreeFurniture(double cameraYaw)
        {
            // Sometimes a piece stands right in front of the camera (a table, a chair, a sofa): the near depths.
            if (rng.Chance(0.45))
            {
                double saved = clearance;
                clearance = 0.3;
                for (int attempt = 0; attempt < 8; attempt++)
                {
                    double dist = rng.Range(0.6, 1.6);
                    double lateral = rng.Range(-0.7, 0.7);
                    double x = camX + (dist * Math.Sin(cameraYaw)) + (lateral * Math.Cos(cameraYaw));
                    double z = camZ + (dist * Math.Cos(cameraYaw)) - (lateral * Math.Sin(cameraYaw));
                    if (TryPlaceFree(x, z, (int[])[0, 2, 3, 3, 7, 9])) break;
                }

                clearance = saved;
            }

            int count = 1 + rng.Int(5);
            for (int i = 0; i < count; i++)
            {
                for (int attempt = 0; attempt < 12; attempt++)
                {
                    double x = rng.Range(0.4, width - 0.4);
                    double z = rng.Range(Math.Min(camZ + 0.4, depth - 0.5), depth - 0.4);
                    if (TryPlaceFree(x, z, null)) break;
                }
            }
        }

        // Places a random free-standing piece (of one of `kinds`, or any) centred at (x, z) if it fits.
        private bool TryPlaceFree(double x, double z, int[]? kinds)
        {
            double yaw = rng.Chance(0.6) ? (rng.Int(4) * Math.PI / 2) + rng.Normal(0, 0.05) : rng.Range(0, Math.PI);
            int kind = kinds is null ? rng.Int(10) : kinds[rng.Int(kinds.Length)];
            (double w, double d) = kind switch
            {
                0 => (rng.Range(0.8, 1.8), rng.Range(0.6, 1.0)), // dining table
                1 => (rng.Range(0.7, 1.2), 0), // round table (d = w)
                2 => (0.46, 0.44), // chair
                3 => (rng.Range(0.8, 1.3), rng.Range(0.45, 0.7)), // coffee table
                4 => (0, 0), // plant
                5 => (0.4, 0.4), // floor lamp
                6 => (0, 0), // ball
                7 => (rng.Range(0.3, 0.7), rng.Range(0.3, 0.6)), // boxes
                8 => (0, 0), // pouf
                _ => (rng.Range(0.75, 1.0), rng.Range(0.75, 0.9)), // armchair
            };
            double radius = kind switch
            {
                1 => w / 2,
                4 => rng.Range(0.25, 0.45),
                6 => rng.Range(0.1, 0.35),
                8 => rng.Range(0.22, 0.35),
                _ => 0,
            };
            if (radius > 0) w = d = 2 * radius;
            var frame = new Frame(x, z, yaw);
            if (!TryReserve(frame.Footprint(w, d), gap: 0.1)) return false;
            switch (kind)
            {
                case 0: DiningTable(frame, w, d); break;
                case 1: RoundTable(frame, radius); break;
                case 2: Chair(frame); break;
                case 3: Table(frame, w, d, rng.Range(0.38, 0.5), Finish()); break;
                case 4: Plant(frame, radius); break;
                case 5: FloorLamp(frame); break;
                case 6: Ball(frame, radius); break;
                case 7: Crates(frame, w, d); break;
                case 8: Pouf(frame, radius); break;
                default: Sofa(frame, w, d); break;
            }

            return true;
        }

        private void Box(Frame f, double lx, double ly, double lz, double hx, double hy, double hz, int material) =>
            b.AddBox(f.World(lx, ly, lz), new V3(hx, hy, hz), f.Yaw, material);

        private void Cabinet(Frame f, double w, double d, double h, bool drawers)
        {
            int body = Finish();
            int fronts = rng.Chance(0.5) ? body : Finish();
            b.BeginObject();
            Box(f, 0, h / 2, 0.01, w / 2, h / 2, (d / 2) - 0.01, body);
            if (rng.Chance(0.6)) Box(f, 0, h + 0.015, 0, (w / 2) + 0.01, 0.015, (d / 2) + 0.005, rng.Chance(0.5) ? body : Finish());
            int columns = Math.Max(1, (int)(w / rng.Range(0.4, 0.8)));
            int rows = drawers ? 1 + rng.Int(3) : 1;
            double cw = w / columns;
            double rh = (h - 0.1) / rows;
            for (int c = 0; c < columns; c++)
            {
                for (int r = 0; r < rows; r++)
                {
                    double cx = (-w / 2) + ((c + 0.5) * cw);
                    double cy = 0.08 + ((r + 0.5) * rh);
                    Box(f, cx, cy, (-d / 2) + 0.003, (cw / 2) - 0.015, (rh / 2) - 0.015, 0.012, fronts);
                }
            }

            b.EndObject();
            if (h < 1.3 && rng.Chance(0.6)) TopItems(f, w, d, h + 0.03);
        }

        // A few small things on a surface: a lamp, a vase, a box, a bowl.
        private void TopItems(Frame f, double w, double d, double top)
        {
            int n = 1 + rng.Int(3);
            b.BeginObject();
            for (int i = 0; i < n; i++)
            {
                double lx = rng.Range((-w / 2) + 0.15, (w / 2) - 0.15);
                double lz = rng.Range((-d / 2) + 0.1, (d / 2) - 0.1);
                var at = f.World(lx, top, lz);
                switch (rng.Int(4))
                {
                    case 0:
                    {
                        double ph = rng.Range(0.25, 0.45);
                        b.AddCylinder(new V3(at.X, top + 0.01, at.Z), 0.07, 0.01, Solid(Hsv(0, 0, 0.3)));
                        b.AddCylinder(new V3(at.X, top + (ph / 2), at.Z), 0.012, ph / 2, Solid(Hsv(0, 0, 0.3)));
                        double sr = rng.Range(0.1, 0.16);
                        int shade = b.AddMaterial(new SynthMaterial(SynthPattern.Fabric, Hsv(rng.Range(30, 60), rng.Range(0, 0.3), 0.9), V3.Zero, 1, 0.05, rng.NextSeed(), emission: 0.5));
                        b.AddCylinder(new V3(at.X, top + ph, at.Z), sr, sr * 0.7, shade);
                        bulbs.Add((new V3(at.X, top + ph - (sr * 0.7) - 0.03, at.Z), b.ObjectCount));
                        break;
                    }

                    case 1:
                    {
                        double vr = rng.Range(0.04, 0.1);
                        double vh = rng.Range(0.1, 0.35);
                        b.AddCylinder(new V3(at.X, top + (vh / 2), at.Z), vr, vh / 2, Paint(rng.Range(0, 360), rng.Range(0.2, 0.8), rng.Range(0.3, 0.9)));
                        break;
                    }

                    case 2:
                    {
                        double bh = rng.Range(0.05, 0.25);
                        b.AddBox(new V3(at.X, top + (bh / 2), at.Z), new V3(rng.Range(0.05, 0.18), bh / 2, rng.Range(0.05, 0.15)), f.Yaw + rng.Normal(0, 0.3), Finish());
                        break;
                    }

                    default:
                    {
                        double r = rng.Range(0.05, 0.12);
                        b.AddSphere(new V3(at.X, top + r, at.Z), r, Paint(rng.Range(0, 360), rng.Range(0.2, 0.8), rng.Range(0.3, 0.9)));
                        break;
                    }
                }
            }

            b.EndObject();
        }

        private void Bookshelf(Frame f, double w, double d, double h)
        {
            int body = Finish();
            const double T = 0.02;
            int shelves = Math.Max(2, (int)(h / rng.Range(0.3, 0.4)));
            double pitch = (h - T) / shelves;
            b.BeginObject();
            Box(f, (-w / 2) + (T / 2), h / 2, 0, T / 2, h / 2, d / 2, body);
            Box(f, (w / 2) - (T / 2), h / 2, 0, T / 2, h / 2, d / 2, body);
            Box(f, 0, h / 2, (d / 2) - 0.005, (w / 2) - T, h / 2, 0.005, body);
            for (int s = 0; s <= shelves; s++) Box(f, 0, (s * pitch) + (T / 2), 0, (w / 2) - T, T / 2, d / 2, body);
            b.EndObject();

            int[] bookColors = new int[4];
            for (int i = 0; i < bookColors.Length; i++) bookColors[i] = Paint(rng.Range(0, 360), rng.Range(0.2, 0.8), rng.Range(0.2, 0.85));
            for (int s = 0; s < shelves; s++)
            {
                if (rng.Chance(0.2)) continue;
                double baseY = (s * pitch) + T;
                double x = (-w / 2) + T + rng.Range(0, 0.1);
                b.BeginObject();
                while (x < (w / 2) - T - 0.08)
                {
                    double bw = rng.Range(0.03, 0.08);
                    double bh = Math.Min(pitch - T - 0.02, rng.Range(0.15, 0.3));
                    double bd = d * rng.Range(0.65, 0.9);
                    if (rng.Chance(0.12))
                    {
                        x += rng.Range(0.05, 0.25);
                        continue;
                    }

                    Box(f, x + (bw / 2), baseY + (bh / 2), (d / 2) - 0.01 - (bd / 2), bw / 2, bh / 2, bd / 2, bookColors[rng.Int(bookColors.Length)]);
                    x += bw + 0.002;
                }

                b.EndObject();
            }
        }

        private void Bed(Frame f, double w, double length)
        {
            int frameMat = rng.Chance(0.6) ? Wood() : Fabric();
            int sheet = Paint(rng.Range(0, 360), rng.Range(0, 0.15), rng.Range(0.75, 0.95));
            int blanket = Fabric();
            double baseH = rng.Range(0.25, 0.4);
            b.BeginObject();
            Box(f, 0, baseH / 2, 0, w / 2, baseH / 2, length / 2, frameMat);
            Box(f, 0, baseH + 0.1, 0.01, (w / 2) - 0.02, 0.1, (length / 2) - 0.04, sheet);
            Box(f, 0, baseH + 0.11, (-length / 2) + (length * 0.35), (w / 2) + 0.01, 0.11, length * 0.35, blanket);
            Box(f, 0, rng.Range(0.45, 0.6), (length / 2) - 0.03, (w / 2) + 0.03, rng.Range(0.45, 0.6), 0.03, frameMat);
            int pillows = w > 1.3 ? 2 : 1;
            for (int i = 0; i < pillows; i++)
            {
                double px = pillows == 1 ? 0 : (i == 0 ? -w / 4 : w / 4);
                Box(f, px, baseH + 0.26, (length / 2) - 0.25, Math.Min(0.3, (w / pillows / 2) - 0.05), 0.06, 0.17, sheet);
            }

            b.EndObject();
        }

        private void Sofa(Frame f, double w, double d)
        {
            int cover = Fabric();
            int cushion = rng.Chance(0.6) ? cover : Fabric();
            double seat = rng.Range(0.38, 0.46);
            double backH = rng.Range(0.75, 0.95);
            double arm = rng.Range(0.1, 0.2);
            b.BeginObject();
            Box(f, 0, (seat - 0.08) / 2, 0, w / 2, (seat - 0.08) / 2, d / 2, cover);
            Box(f, 0, seat - 0.04, -0.06, (w / 2) - arm, 0.04, (d / 2) - 0.06, cushion);
            Box(f, 0, backH / 2, (d / 2) - 0.1, w / 2, backH / 2, 0.1, cover);
            double armH = rng.Range(0.55, 0.68);
            Box(f, (-w / 2) + (arm / 2), armH / 2, 0, arm / 2, armH / 2, d / 2, cover);
            Box(f, (w / 2) - (arm / 2), armH / 2, 0, arm / 2, armH / 2, d / 2, cover);
            b.EndObject();
        }

        private void Table(Frame f, double w, double d, double h, int material)
        {
            double top = rng.Range(0.025, 0.05);
            double leg = rng.Range(0.04, 0.07);
            double legH = h - top;
            b.BeginObject();
            Box(f, 0, h - (top / 2), 0, w / 2, top / 2, d / 2, material);
            double ix = (w / 2) - leg - 0.02;
            double iz = (d / 2) - leg - 0.02;
            Box(f, -ix, legH / 2, -iz, leg / 2, legH / 2, leg / 2, material);
            Box(f, ix, legH / 2, -iz, leg / 2, legH / 2, leg / 2, material);
            Box(f, -ix, legH / 2, iz, leg / 2, legH / 2, leg / 2, material);
            Box(f, ix, legH / 2, iz, leg / 2, legH / 2, leg / 2, material);
            b.EndObject();
        }

        private void Desk(Frame f, double w, double d)
        {
            double h = rng.Range(0.72, 0.77);
            int desk = reserved.Count - 1;
            Table(f, w, d, h, Finish());
            b.BeginObject();
            if (rng.Chance(0.6))
            {
                double mw = rng.Range(0.25, 0.35);
                double mh = mw * 0.6;
                int dark = Solid(Hsv(0, 0, rng.Range(0.03, 0.1)));
                Box(f, 0, h + 0.02 + 0.1 + mh, (d / 2) - 0.15, mw, mh, 0.02, dark);
                Box(f, 0, h + 0.07, (d / 2) - 0.12, 0.03, 0.06, 0.03, dark);
            }
            else
            {
                Box(f, rng.Range(-w / 4, w / 4), h + 0.02, 0, rng.Range(0.1, 0.25), 0.02, rng.Range(0.1, 0.2), Finish());
            }

            b.EndObject();
            if (rng.Chance(0.6))
            {
                // A chair pulled up to the desk, facing it.
                var front = f.World(rng.Range(-0.2, 0.2), 0, (-d / 2) - 0.1);
                var chair = new Frame(front.X, front.Z, f.Yaw + Math.PI + rng.Normal(0, 0.2));
                if (TryReserve(chair.Footprint(0.46, 0.44), gap: 0, ignore: desk)) Chair(chair);
            }
        }

        private void Counter(Frame f, double w, double d)
        {
            int body = Finish();
            int worktop = rng.Chance(0.5) ? Paint(0, 0, rng.Range(0.1, 0.9)) : Wood();
            double h = rng.Range(0.86, 0.92);
            b.BeginObject();
            Box(f, 0, (h - 0.04) / 2, 0.02, w / 2, (h - 0.04) / 2, (d / 2) - 0.02, body);
            Box(f, 0, h - 0.02, 0, (w / 2) + 0.01, 0.02, (d / 2) + 0.01, worktop);
            int doors = Math.Max(1, (int)(w / 0.5));
            double dw = w / doors;
            for (int i = 0; i < doors; i++)
            {
                Box(f, (-w / 2) + ((i + 0.5) * dw), (h - 0.04) / 2, (-d / 2) + 0.028, (dw / 2) - 0.01, ((h - 0.04) / 2) - 0.03, 0.01, body);
            }

            b.EndObject();
            if (rng.Chance(0.7))
            {
                double upH = rng.Range(0.6, 0.8);
                double upY = rng.Range(1.4, 1.55);
                if (upY + upH < height - 0.05)
                {
                    b.BeginObject();
                    Box(f, 0, upY + (upH / 2), (d / 2) - 0.175, w / 2, upH / 2, 0.175, body);
                    b.EndObject();
                }
            }
        }

        private void TvStand(Frame f, double w, double d)
        {
            double h = rng.Range(0.4, 0.6);
            Cabinet(f, w, d, h, drawers: false);
            double tw = Math.Min(w - 0.1, rng.Range(0.9, 1.5));
            double th = tw * 0.58;
            int dark = Solid(Hsv(0, 0, rng.Range(0.02, 0.08)));
            b.BeginObject();
            Box(f, 0, h + 0.03 + 0.08 + (th / 2), (d / 2) - 0.1, tw / 2, th / 2, 0.03, dark);
            Box(f, 0, h + 0.03 + 0.04, (d / 2) - 0.1, 0.1, 0.05, 0.08, dark);
            b.EndObject();
        }

        // A shelf board on the wall with a few things on it; it takes no floor space.
        private void AddWallShelf(int face, double s, double span)
        {
            double w = Math.Min(span - 0.1, rng.Range(0.5, 1.2));
            if (w < 0.4) return;
            double d = rng.Range(0.18, 0.28);
            var f = WallFrame(face, s + (span / 2), d);
            double y = rng.Range(1.1, Math.Min(1.9, height - 0.4));
            b.BeginObject();
            Box(f, 0, y, 0, w / 2, 0.015, d / 2, Finish());
            b.EndObject();
            if (rng.Chance(0.7)) TopItems(f, w, d, y + 0.015);
        }

        private void DiningTable(Frame f, double w, double d)
        {
            double h = rng.Range(0.72, 0.78);
            int table = reserved.Count - 1;
            Table(f, w, d, h, Finish());
            if (rng.Chance(0.5)) TopItems(f, w, d, h);
            int chairs = rng.Int(5);
            for (int i = 0; i < chairs; i++)
            {
                // Chairs along the long sides, facing the table (their local −z towards it).
                double side = i % 2 == 0 ? -1 : 1;
                double lx = chairs <= 2 ? 0 : (i < 2 ? -w / 4 : w / 4);
                var at = f.World(lx, 0, side * ((d / 2) + 0.15));
                double yaw = side < 0 ? f.Yaw + Math.PI : f.Yaw;
                var chair = new Frame(at.X, at.Z, yaw + rng.Normal(0, 0.15));
                if (TryReserve(chair.Footprint(0.46, 0.44), gap: 0, ignore: table)) Chair(chair);
            }
        }

        private void Chair(Frame f)
        {
            int mat = Finish();
            int seatMat = rng.Chance(0.5) ? mat : Fabric();
            double seat = rng.Range(0.43, 0.48);
            double leg = 0.018;
            b.BeginObject();
            Box(f, 0, seat, 0, 0.22, 0.022, 0.21, seatMat);
            foreach (double sx in (double[])[-0.19, 0.19])
            {
                foreach (double sz in (double[])[-0.18, 0.18]) Box(f, sx, (seat - 0.022) / 2, sz, leg, (seat - 0.022) / 2, leg, mat);
            }

            double backH = rng.Range(0.35, 0.5);
            Box(f, 0, seat + 0.02 + (backH / 2), 0.19, 0.21, backH / 2, 0.02, mat);
            b.EndObject();
        }

        private void RoundTable(Frame f, double radius)
        {
            int mat = Finish();
            double h = rng.Range(0.55, 0.76);
            b.BeginObject();
            b.AddCylinder(new V3(f.X, h - 0.02, f.Z), radius, 0.02, mat);
            b.AddCylinder(new V3(f.X, (h - 0.04) / 2, f.Z), rng.Range(0.03, 0.06), (h - 0.04) / 2, mat);
            b.AddCylinder(new V3(f.X, 0.015, f.Z), radius * 0.5, 0.015, mat);
            b.EndObject();
            if (rng.Chance(0.5))
            {
                b.BeginObject();
                double vr = rng.Range(0.05, 0.1);
                double vh = rng.Range(0.1, 0.3);
                b.AddCylinder(new V3(f.X, h + (vh / 2), f.Z), vr, vh / 2, Paint(rng.Range(0, 360), rng.Range(0.2, 0.8), rng.Range(0.3, 0.9)));
                b.EndObject();
            }
        }

        private void Plant(Frame f, double radius)
        {
            int pot = Paint(rng.Range(0, 40), rng.Range(0.2, 0.7), rng.Range(0.3, 0.85));
            int leaves = b.AddMaterial(new SynthMaterial(SynthPattern.Fabric, Hsv(rng.Range(80, 150), rng.Range(0.4, 0.8), rng.Range(0.2, 0.6)), V3.Zero, 1, 0.5, rng.NextSeed()));
            double potR = radius * rng.Range(0.45, 0.7);
            double potH = rng.Range(0.2, 0.5);
            b.BeginObject();
            b.AddCylinder(new V3(f.X, potH / 2, f.Z), potR, potH / 2, pot);
            double r = radius;
            b.AddSphere(new V3(f.X, potH + (r * 0.8), f.Z), r, leaves);
            if (rng.Chance(0.5)) b.AddSphere(new V3(f.X + rng.Range(-0.1, 0.1), potH + (r * 1.6), f.Z + rng.Range(-0.1, 0.1)), r * 0.7, leaves);
            b.EndObject();
        }

        private void FloorLamp(Frame f)
        {
            int metal = Paint(0, 0, rng.Range(0.1, 0.7));
            double h = rng.Range(1.3, 1.7);
            double sr = rng.Range(0.15, 0.24);
            int shade = b.AddMaterial(new SynthMaterial(SynthPattern.Fabric, Hsv(rng.Range(25, 60), rng.Range(0, 0.35), rng.Range(0.75, 0.95)), V3.Zero, 1, 0.05, rng.NextSeed(), emission: 0.6));
            b.BeginObject();
            b.AddCylinder(new V3(f.X, 0.015, f.Z), 0.15, 0.015, metal);
            b.AddCylinder(new V3(f.X, h / 2, f.Z), 0.015, h / 2, metal);
            double shadeHalfHeight = rng.Range(0.1, 0.16);
            b.AddCylinder(new V3(f.X, h, f.Z), sr, shadeHalfHeight, shade);
            b.EndObject();
            bulbs.Add((new V3(f.X, h - shadeHalfHeight - 0.04, f.Z), b.ObjectCount - 1));
        }

        private void Ball(Frame f, double radius)
        {
            b.BeginObject();
            b.AddSphere(new V3(f.X, radius, f.Z), radius, Paint(rng.Range(0, 360), rng.Range(0.3, 0.9), rng.Range(0.4, 0.95)));
            b.EndObject();
        }

        private void Crates(Frame f, double w, double d)
        {
            int n = 1 + rng.Int(3);
            double y = 0;
            b.BeginObject();
            for (int i = 0; i < n; i++)
            {
                double h = rng.Range(0.2, 0.5);
                double shrink = 1 - (0.15 * i);
                b.AddBox(new V3(f.X, y + (h / 2), f.Z), new V3(w / 2 * shrink, h / 2, d / 2 * shrink), f.Yaw + rng.Normal(0, 0.2 * i), rng.Chance(0.5) ? Wood() : Finish());
                y += h;
            }

            b.EndObject();
        }

        private void Pouf(Frame f, double radius)
        {
            double h = rng.Range(0.3, 0.45);
            b.BeginObject();
            b.AddCylinder(new V3(f.X, h / 2, f.Z), radius, h / 2, Fabric());
            b.EndObject();
        }
    }
}
